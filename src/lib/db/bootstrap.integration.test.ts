import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapDatabase } from '@/lib/db/bootstrap';
import { createDb } from '@/lib/db/client';
import { createTestDb, type TTestDb } from '@/test/test-db';

describe('bootstrapDatabase', () => {
  let db: TTestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.close();
  });

  it('migrates a database that has no tables yet', async () => {
    const fresh = await createDb({ kind: 'pglite-memory' });
    try {
      const report = await bootstrapDatabase(fresh, { seedIfEmpty: false, log: () => {} });
      expect(report.appliedMigrations.length).toBeGreaterThan(0);
      expect(await fresh.prisma.school.count()).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('leaves an empty database empty unless asked to seed', async () => {
    const report = await bootstrapDatabase(db, { seedIfEmpty: false, log: () => {} });
    expect(report).toEqual({ appliedMigrations: [], seeded: null });
    expect(await db.prisma.school.count()).toBe(0);
  });

  it('seeds an empty database once, however often it runs', async () => {
    const logged: string[] = [];
    const first = await bootstrapDatabase(db, { seedIfEmpty: true, log: (message) => logged.push(message) });
    expect(first.seeded).not.toBeNull();
    const schools = await db.prisma.school.count();
    expect(schools).toBeGreaterThan(0);
    expect(logged.join('\n')).toMatch(/Demo logins/);

    const second = await bootstrapDatabase(db, { seedIfEmpty: true, log: () => {} });
    expect(second).toEqual({ appliedMigrations: [], seeded: null });
    expect(await db.prisma.school.count()).toBe(schools);
  });
});
