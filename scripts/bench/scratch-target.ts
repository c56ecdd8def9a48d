import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createScratchDatabase } from '@/lib/db/scratch-database';
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
  const scratch = await createScratchDatabase(adminUrl, 'erp_bench');
  cleanup.defer(`drop database ${scratch.name}`, scratch.drop);
  const url = new URL(scratch.url);
  const name = scratch.name;
  return {
    engine: 'postgres',
    target: { kind: 'postgres', url: url.toString() },
    postgresUrl: url.toString(),
    label: `PostgreSQL ${url.hostname}:${url.port || '5432'}/${name}`,
  };
}
