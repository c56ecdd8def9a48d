import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Prisma } from '@/generated/prisma/client';
import { applyMigrations, diffMigrationsToSchema } from '@/lib/db/migrate';
import { createTestDb, type TTestDb } from '@/test/test-db';

describe('migrations', () => {
  let db: TTestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.close();
  });

  it('agree with prisma/schema.prisma (run `npm run db:migration:create -- <name>` when this fails)', async () => {
    expect(await diffMigrationsToSchema()).toBe('');
  });

  it('are recorded in _prisma_migrations and applying them again changes nothing', async () => {
    const recorded = await db.prisma.$queryRaw<{ migration_name: string; finished_at: Date | null }[]>`
      SELECT migration_name, finished_at FROM "_prisma_migrations"`;
    expect(recorded.length).toBeGreaterThan(0);
    expect(recorded.every((row) => row.finished_at !== null)).toBe(true);
    expect(await applyMigrations(db.database.adapterFactory)).toEqual([]);
  });

  it('create every model of the schema as a table', async () => {
    const tables = await db.prisma.$queryRaw<{ table_name: string }[]>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`;
    expect(tables.map((t) => t.table_name).sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });
});
