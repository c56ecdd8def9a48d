import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type TDb } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrate';
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

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDb(): Promise<TTestDb> {
  const adminUrl = loadEnv().TEST_DATABASE_URL;
  if (!adminUrl) {
    const target: TDatabaseTarget = { kind: 'pglite-memory' };
    const db = await createDb(target);
    await applyMigrations(db.database.adapterFactory);
    return { ...db, engine: 'pglite', target };
  }
  const name = `erp_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const target: TDatabaseTarget = { kind: 'postgres', url: url.toString() };
  const db = await createDb(target);
  await applyMigrations(db.database.adapterFactory);
  return {
    ...db,
    engine: 'postgres',
    target,
    close: async () => {
      await db.close();
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
