import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVITY_PAGE_SIZE, toAuditQuery } from '@/app/admin/backups/_components/activity-query';
import { createTestDb, type TTestDb } from '@/test/test-db';
import { listAuditLog, ZAuditLogQuery } from './audit-query';

/** 120 audit rows, one an hour from 2026-03-01 00:30 UTC, alternating two actions; the first 10 by a named user. */
const ROWS = 120;
const START = Date.parse('2026-03-01T00:30:00.000Z');
const HOUR = 3_600_000;

describe('listAuditLog paging and periods (the activity panel)', () => {
  let db: TTestDb;

  beforeAll(async () => {
    db = await createTestDb();
    await db.prisma.user.create({
      data: { id: 'user_named', email: 'head@demo.school', name: 'Ana Head', passwordHash: 'x', role: 'SUPER_ADMIN' },
    });
    await db.prisma.auditLog.createMany({
      data: Array.from({ length: ROWS }, (_, index) => ({
        action: index % 2 === 0 ? 'backup.created' : 'backup.verified',
        outcome: 'SUCCESS' as const,
        actorId: index < 10 ? 'user_named' : null,
        actorEmail: index < 10 ? 'head@demo.school' : null,
        details: { index },
        createdAt: new Date(START + index * HOUR),
      })),
    });
  });

  afterAll(async () => {
    await db.close();
  });

  const list = (query: Parameters<typeof ZAuditLogQuery.parse>[0]) => listAuditLog(db.prisma, ZAuditLogQuery.parse(query));
  const indexes = (entries: { details: unknown }[]) => entries.map((entry) => (entry.details as { index: number }).index);

  it('pages newest first without gaps or repeats, and says when older rows follow', async () => {
    const seen: number[] = [];
    for (let page = 1; ; page++) {
      const result = await list(toAuditQuery({ action: 'backup.', outcome: '', page }));
      seen.push(...indexes(result.entries));
      expect(result.entries.length).toBeLessThanOrEqual(ACTIVITY_PAGE_SIZE);
      if (!result.hasMore) break;
      expect(result.entries).toHaveLength(ACTIVITY_PAGE_SIZE);
    }
    expect(seen).toEqual(Array.from({ length: ROWS }, (_, index) => ROWS - 1 - index));
  });

  it('keeps a period of whole UTC days, both ends included, combined with the action filter', async () => {
    // 2026-03-02 holds rows 24..47 (00:30 to 23:30); 2026-03-03 holds 48..71.
    const day = await list(toAuditQuery({ action: 'backup.', outcome: '', from: '2026-03-02', to: '2026-03-02' }));
    expect(indexes(day.entries)).toEqual(Array.from({ length: 24 }, (_, index) => 47 - index));
    const twoDays = await list(toAuditQuery({ action: 'backup.created', outcome: '', from: '2026-03-02', to: '2026-03-03' }));
    expect(indexes(twoDays.entries)).toEqual(Array.from({ length: 24 }, (_, index) => 70 - index * 2));
    const fromOnly = await list(toAuditQuery({ action: 'backup.', outcome: '', from: '2026-03-05' }));
    expect(indexes(fromOnly.entries)).toEqual(Array.from({ length: 24 }, (_, index) => 119 - index));
  });

  it("names the signed-in actor, and leaves the name empty for the system's rows", async () => {
    const oldest = await list({ action: 'backup.', to: '2026-03-01T10:00:00.000Z', limit: 20 });
    expect(oldest.entries.map((entry) => entry.actorName)).toEqual(Array.from({ length: 10 }, () => 'Ana Head'));
    const newest = await list({ action: 'backup.', limit: 1 });
    expect(newest.entries[0]?.actorName).toBeNull();
  });

  it('refuses a period that ends before it starts and a malformed instant', () => {
    expect(ZAuditLogQuery.safeParse({ from: '2026-03-02T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' }).success).toBe(false);
    expect(ZAuditLogQuery.safeParse({ from: '2026-03-02' }).success).toBe(false);
    expect(ZAuditLogQuery.safeParse({ offset: -1 }).success).toBe(false);
  });
});
