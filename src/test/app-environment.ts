import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDb, getDb } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrate';
import { randomKeyHex } from './backup-deps';
import { createTestDb, type TTestDb, testEngine } from './test-db';

/** The app's configuration pointed at a fresh database for one test file. */
export interface TAppTestEnvironment {
  tempDir: string;
  /** The throwaway PostgreSQL database, or null on the embedded engine. */
  postgres: TTestDb | null;
  /** Closes the process-wide database, drops the throwaway one and removes the files. */
  close(): Promise<void>;
}

/**
 * For tests of code that reads its configuration like the running app does
 * (server actions, route handlers, `getDb()`): sets BACKUP_DIR, a fresh
 * BACKUP_ENCRYPTION_KEY and a migrated database (a throwaway PostgreSQL
 * database with TEST_DATABASE_URL, else an embedded one in a temporary
 * DATA_DIR) in `process.env`.
 */
export async function openAppTestEnvironment(prefix: string): Promise<TAppTestEnvironment> {
  const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.env.BACKUP_DIR = path.join(tempDir, 'backups');
  process.env.BACKUP_ENCRYPTION_KEY = randomKeyHex();
  let postgres: TTestDb | null = null;
  if (testEngine() === 'postgres') {
    postgres = await createTestDb();
    process.env.DATABASE_URL = (postgres.target as { url: string }).url;
  } else {
    process.env.DATA_DIR = path.join(tempDir, 'data');
    const setup = await createDb({ kind: 'pglite', dataDir: process.env.DATA_DIR });
    await applyMigrations(setup.database.adapterFactory);
    await setup.close();
  }
  return {
    tempDir,
    postgres,
    close: async () => {
      await (await getDb()).close();
      (globalThis as { erpDb?: unknown }).erpDb = undefined;
      await postgres?.close();
      fs.rmSync(tempDir, { recursive: true, force: true });
    },
  };
}
