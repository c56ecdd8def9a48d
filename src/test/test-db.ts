import { createDb, type TDb } from '@/lib/db/client';
import { applyMigrations, type TSchemaPaths } from '@/lib/db/migrate';
import { createScratchDatabase } from '@/lib/db/scratch-database';
import type { TDatabaseTarget } from '@/lib/db/target';
import { loadEnv } from '@/lib/env';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default,
 * or a throwaway database on the PostgreSQL server named by
 * `TEST_DATABASE_URL`, created here and dropped by `close()`.
 */
export interface TTestDb extends TDb {
  engine: 'pglite' | 'postgres';
  target: TDatabaseTarget;
}

export function testEngine(): 'pglite' | 'postgres' {
  return loadEnv().TEST_DATABASE_URL ? 'postgres' : 'pglite';
}

/** Migrated with the ERP's schema, or with `schema` (another schema's file and migrations, e.g. src/test/foreign-schema.ts). */
export async function createTestDb(schema?: TSchemaPaths): Promise<TTestDb> {
  const adminUrl = loadEnv().TEST_DATABASE_URL;
  if (!adminUrl) {
    const target: TDatabaseTarget = { kind: 'pglite-memory' };
    const db = await createDb(target);
    await applyMigrations(db.database.adapterFactory, schema);
    return { ...db, engine: 'pglite', target };
  }
  const scratch = await createScratchDatabase(adminUrl, 'erp_test');
  const target: TDatabaseTarget = { kind: 'postgres', url: scratch.url };
  const db = await createDb(target);
  await applyMigrations(db.database.adapterFactory, schema);
  return {
    ...db,
    engine: 'postgres',
    target,
    close: async () => {
      await db.close();
      await scratch.drop();
    },
  };
}
