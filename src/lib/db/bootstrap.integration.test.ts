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
    // Each slow step is announced before it starts, so a first start never looks hung.
    expect(logged.slice(0, 2)).toEqual([expect.stringMatching(/^Migrating the database \(/), 'The schema is up to date.']);
    expect(logged[2]).toBe('Seeding demo data (first start only)...');
    expect(logged[3]).toMatch(/^Seeded .* Demo logins/);

    const again: string[] = [];
    const second = await bootstrapDatabase(db, { seedIfEmpty: true, log: (message) => again.push(message) });
    expect(second).toEqual({ appliedMigrations: [], seeded: null });
    expect(again).toEqual([expect.stringMatching(/^Migrating the database/), 'The schema is up to date.']);
    expect(await db.prisma.school.count()).toBe(schools);
  });
});
