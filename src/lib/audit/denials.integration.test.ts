import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type TDb } from '@/lib/db/client';
import { createTestDb, type TTestDb } from '@/test/test-db';
import type { TAuditContext } from './audit-log';
import { DENIALS_PER_MINUTE, denialKey, recordDenial, type TDenial } from './denials';

const ANONYMOUS: TAuditContext = { actorId: null, actorEmail: null, ipAddress: '203.0.113.7', userAgent: 'curl' };
const LIST: TDenial = { action: 'backup.access.denied', details: { attempted: 'backup.list', reason: 'UNAUTHENTICATED' } };
const AT = new Date('2026-03-01T10:15:07.250Z');

describe('recordDenial', () => {
  let db: TTestDb;
  /** A second app instance on the same database (PostgreSQL only; the in-memory PGlite has one connection). */
  let other: TDb | undefined;

  beforeAll(async () => {
    db = await createTestDb();
    if (db.target.kind === 'postgres') other = await createDb(db.target);
  });

  afterAll(async () => {
    await other?.close();
    await db.close();
  });

  it('keys a source by minute, address, user and what was refused', () => {
    const key = denialKey(ANONYMOUS, LIST, AT);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(denialKey({ ...ANONYMOUS, userAgent: 'other' }, LIST, new Date('2026-03-01T10:15:59.999Z'))).toBe(key);
    for (const differs of [
      denialKey(ANONYMOUS, LIST, new Date('2026-03-01T10:16:00.000Z')),
      denialKey({ ...ANONYMOUS, ipAddress: '203.0.113.8' }, LIST, AT),
      denialKey({ ...ANONYMOUS, ipAddress: null }, LIST, AT),
      denialKey({ ...ANONYMOUS, actorId: 'user_1' }, LIST, AT),
      denialKey(ANONYMOUS, { ...LIST, details: { attempted: 'backup.create', reason: 'UNAUTHENTICATED' } }, AT),
      denialKey(ANONYMOUS, { ...LIST, details: { attempted: 'backup.list', reason: 'FORBIDDEN_ROLE' } }, AT),
      denialKey(ANONYMOUS, { ...LIST, action: 'auth.denied' }, AT),
    ]) {
      expect(differs).not.toBe(key);
    }
  });

  it('counts 200 concurrent refusals from two instances in one row, each increment seen exactly once', async () => {
    const context = { ...ANONYMOUS, ipAddress: '198.51.100.1' };
    const instances = [db.prisma, other?.prisma ?? db.prisma];
    const records = await Promise.all(
      Array.from({ length: 200 }, (_, index) => recordDenial(instances[index % 2] ?? db.prisma, context, LIST, AT)),
    );
    expect(records.map((record) => record.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
    expect(records.filter((record) => record.throttled)).toHaveLength(200 - DENIALS_PER_MINUTE);
    expect(records.every((record) => record.retryAfterSeconds === 53)).toBe(true);

    const rows = await db.prisma.auditLog.findMany({ where: { ipAddress: '198.51.100.1' } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'backup.access.denied',
      outcome: 'DENIED',
      actorId: null,
      userAgent: 'curl',
      details: LIST.details,
      count: 200,
    });
  });

  it('starts a new row in the next minute, and leaves ordinary audit rows uncounted', async () => {
    const context = { ...ANONYMOUS, ipAddress: '198.51.100.2' };
    expect((await recordDenial(db.prisma, context, LIST, AT)).count).toBe(1);
    expect((await recordDenial(db.prisma, context, LIST, new Date('2026-03-01T10:16:00.000Z'))).count).toBe(1);
    expect((await recordDenial(db.prisma, context, LIST, AT)).count).toBe(2);
    const rows = await db.prisma.auditLog.findMany({ where: { ipAddress: '198.51.100.2' }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => row.count)).toEqual([2, 1]);

    const plain = await db.prisma.auditLog.create({ data: { action: 'backup.created', outcome: 'SUCCESS' } });
    expect(plain).toMatchObject({ count: 1, aggregationKey: null });
  });
});
