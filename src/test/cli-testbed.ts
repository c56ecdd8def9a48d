import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createDb, type TDb } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrate';
import { cliBundleStaleness } from '../../bin/cli-bundle.mjs';
import { randomKeyHex } from './backup-deps';
import { startCli, type TCliProcess, type TCliRun, writeNpmPackage } from './cli-process';
import { insertEdgeValues } from './edge-values';
import { createTestDb, type TTestDb, testEngine } from './test-db';

export interface TCliTestbed {
  /** Scratch directory: the CLI's working directory, with the backups in `backups/`. */
  tmp: string;
  /** The CLI's whole environment: DATABASE_URL or DATA_DIR, BACKUP_DIR, a key, NODE_ENV=production. */
  env: Record<string, string>;
  /** The PostgreSQL URL of the test database, or undefined on the embedded database. */
  databaseUrl: string | undefined;
  /**
   * A fresh connection for one look at the data: on the embedded database the
   * CLI must be its only holder while it runs.
   */
  withDb<T>(use: (db: TDb) => Promise<T>): Promise<T>;
  start(...args: string[]): TCliProcess;
  /** The same through `npm run erp-backup` (npm, its shell, the bin and its worker). */
  startViaNpm(...args: string[]): TCliProcess;
  /** The same on a pseudo-terminal of its own, which hangs up when the returned process (script) is killed. */
  startOnTerminal(...args: string[]): TCliProcess;
  run(...args: string[]): Promise<TCliRun>;
  /** The same with the environment changed (a value of undefined removes the variable). */
  runWith(env: Record<string, string | undefined>, ...args: string[]): Promise<TCliRun>;
  /** The files in BACKUP_DIR. */
  backupFiles(): string[];
}

/**
 * Registers the set-up of a CLI test file: a migrated database holding the
 * edge-value school (a throwaway PostgreSQL database with TEST_DATABASE_URL,
 * else an embedded one in a scratch directory), and a scratch working
 * directory; all removed after the file.
 */
export function useCliTestbed(): TCliTestbed {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-cli-'));
  const env: Record<string, string> = {
    BACKUP_DIR: path.join(tmp, 'backups'),
    BACKUP_ENCRYPTION_KEY: randomKeyHex(),
    NODE_ENV: 'production',
  };
  let pgDb: TTestDb | undefined;
  const withDb = async <T>(use: (db: TDb) => Promise<T>): Promise<T> => {
    const db = await createDb(
      env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: env.DATA_DIR as string },
    );
    try {
      return await use(db);
    } finally {
      await db.close();
    }
  };
  const runWith = (changes: Record<string, string | undefined>, ...args: string[]) => {
    const merged = Object.fromEntries(
      Object.entries({ ...env, ...changes }).filter((entry): entry is [string, string] => entry[1] !== undefined),
    );
    return startCli({ env: merged, cwd: tmp }, ...args).done;
  };

  beforeAll(async () => {
    // Operators run the compiled CLI: a test must not silently run the sources instead (the global setup builds it).
    const stale = cliBundleStaleness(path.resolve(import.meta.dirname, '../..'));
    if (stale) throw new Error(`The compiled erp-backup is not current (${stale}): run \`npm run build:cli\``);
    writeNpmPackage(tmp);
    if (testEngine() === 'postgres') {
      pgDb = await createTestDb();
      env.DATABASE_URL = (pgDb.target as { url: string }).url;
    } else {
      env.DATA_DIR = path.join(tmp, 'data');
    }
    await withDb(async (db) => {
      await applyMigrations(db.database.adapterFactory);
      await insertEdgeValues(db.prisma);
    });
  });
  afterAll(async () => {
    await pgDb?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  return {
    tmp,
    env,
    get databaseUrl() {
      return env.DATABASE_URL;
    },
    withDb,
    start: (...args) => startCli({ env, cwd: tmp }, ...args),
    startViaNpm: (...args) => startCli({ env, cwd: tmp, via: 'npm' }, ...args),
    startOnTerminal: (...args) => startCli({ env, cwd: tmp, via: 'terminal' }, ...args),
    run: (...args) => startCli({ env, cwd: tmp }, ...args).done,
    runWith,
    backupFiles: () => (fs.existsSync(env.BACKUP_DIR as string) ? fs.readdirSync(env.BACKUP_DIR as string) : []),
  };
}
