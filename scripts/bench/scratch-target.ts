import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TDatabaseTarget } from '@/lib/db/target';
import type { TCleanup } from './cleanup';

/** A throwaway database the bench may fill and overwrite. */
export interface TScratchTarget {
  engine: 'postgres' | 'pglite';
  target: TDatabaseTarget;
  /** The scratch database's URL (for pg_dump / pg_restore); null on PGlite. */
  postgresUrl: string | null;
  /** What to show in output: no password. */
  label: string;
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

/**
 * Creates `erp_bench_<random>` on the server of `adminUrl`, or a temporary
 * PGlite data directory when there is no server, and registers its removal.
 */
export async function createScratchTarget(adminUrl: string | undefined, cleanup: TCleanup): Promise<TScratchTarget> {
  if (!adminUrl) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-bench-pglite-'));
    cleanup.defer(`remove ${dir}`, () => fs.rmSync(dir, { recursive: true, force: true }));
    const dataDir = path.join(dir, 'pgdata');
    return { engine: 'pglite', target: { kind: 'pglite', dataDir }, postgresUrl: null, label: `PGlite in ${dataDir}` };
  }
  const name = `erp_bench_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  cleanup.defer(`drop database ${name}`, () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  url.search = '';
  return {
    engine: 'postgres',
    target: { kind: 'postgres', url: url.toString() },
    postgresUrl: url.toString(),
    label: `PostgreSQL ${url.hostname}:${url.port || '5432'}/${name}`,
  };
}
