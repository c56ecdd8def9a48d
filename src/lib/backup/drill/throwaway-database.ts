import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type TOpenedDatabase } from '@/lib/db/adapter';
import { withPgClient } from '@/lib/db/scratch-database';
import { describeTarget } from '@/lib/db/target';

/**
 * Names of throwaway databases and directories: `erp_drill_<pid>_<random>`
 * (PostgreSQL) and `erp-drill-<pid>-<random>` (PGlite, in the temp
 * directory), recognisable so a drill that crashed is cleaned up at the
 * next start (see leftovers.ts). The pid is the drilling process's.
 */
export const DRILL_DATABASE_PREFIX = 'erp_drill_';
export const DRILL_DIRECTORY_PREFIX = 'erp-drill-';

/** Where a restore drill may restore: never the live database. */
export interface TDrillPlacement {
  /** The live database; its server hosts the throwaway database when its role may create databases. */
  live: TOpenedDatabase;
  /** BACKUP_DRILL_DATABASE_URL: a PostgreSQL server to create the throwaway database on, whatever the live one is. */
  serverUrl?: string;
  /** Parent directory of an embedded throwaway database; defaults to the system's temp directory. */
  tempDir?: string;
}

/**
 * A throwaway database, open. `dispose()` closes and removes it; if that
 * fails (the server went away), the next start removes it as a leftover.
 */
export interface TThrowawayDatabase {
  database: TOpenedDatabase;
  /** Where it lives, for the result and the log (no password). */
  where: string;
  /** Its name (PostgreSQL) or directory (PGlite). */
  name: string;
  dispose(): Promise<void>;
}

/**
 * Creates the throwaway database a drill restores into: on the server of
 * BACKUP_DRILL_DATABASE_URL when set; else on the live PostgreSQL server
 * when its role may create databases; else an embedded PGlite in a fresh
 * temporary directory.
 */
export async function createThrowawayDatabase(placement: TDrillPlacement): Promise<TThrowawayDatabase> {
  const { live } = placement;
  if (placement.serverUrl) return createOnServer(placement.serverUrl);
  if (live.target.kind === 'postgres' && (await mayCreateDatabases(live.target.url))) return createOnServer(live.target.url);
  return createEmbedded(placement.tempDir ?? os.tmpdir());
}

async function mayCreateDatabases(url: string): Promise<boolean> {
  return withPgClient(url, async (client) => {
    const { rows } = await client.query<{ may: boolean }>(
      'SELECT (rolcreatedb OR rolsuper) AS may FROM pg_roles WHERE rolname = current_user',
    );
    return rows[0]?.may === true;
  });
}

/** A name made here of letters, digits and underscores only, so it is safe in the statements below. */
function newName(separator: string, prefix: string): string {
  return `${prefix}${process.pid}${separator}${randomBytes(6).toString('hex')}`;
}

async function createOnServer(serverUrl: string): Promise<TThrowawayDatabase> {
  const name = newName('_', DRILL_DATABASE_PREFIX);
  await withPgClient(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = () => withPgClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  // Connected for the whole drill: a throwaway database nobody is connected to is a crashed drill's leftover.
  const keeper = new pg.Client({ connectionString: url.toString(), application_name: 'erp-backup:drill' });
  keeper.on('error', () => {
    // The drill's own connections fail too and report it; this one only marks the database as in use.
  });
  try {
    await keeper.connect();
    const database = await openDatabase({ kind: 'postgres', url: url.toString() });
    return {
      database,
      name,
      where: describeTarget(database.target),
      dispose: async () => {
        await database.close();
        await endKeeper(keeper);
        await drop();
      },
    };
  } catch (error) {
    await endKeeper(keeper);
    await drop();
    throw error;
  }
}

async function createEmbedded(tempDir: string): Promise<TThrowawayDatabase> {
  // The data directory and its holder file (`data.holder`) both live in one directory, removed as a whole.
  const drillDir = path.join(tempDir, newName('-', DRILL_DIRECTORY_PREFIX));
  const dataDir = path.join(drillDir, 'data');
  await fs.promises.mkdir(dataDir, { recursive: true });
  const remove = () => fs.promises.rm(drillDir, { recursive: true, force: true });
  try {
    const database = await openDatabase({ kind: 'pglite', dataDir });
    return {
      database,
      name: drillDir,
      where: `an embedded PostgreSQL in ${drillDir}`,
      dispose: async () => {
        await database.close();
        await remove();
      },
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/**
 * Ends the keeper connection. Its failure changes nothing: DROP DATABASE
 * … WITH (FORCE), which follows, disconnects whoever is still connected.
 */
async function endKeeper(keeper: pg.Client): Promise<void> {
  try {
    await keeper.end();
  } catch {
    // See above: the drop that follows ends it anyway.
  }
}
