import type { TAuditContext } from '@/lib/audit/audit-log';
import { getDb } from '@/lib/db/client';
import { DataDirInUseError } from '@/lib/db/pglite-holder';
import { loadEnv } from '@/lib/env';
import type { TKeyring } from '../crypto/keys';
import { removeDrillLeftovers } from '../drill/leftovers';
import { BackupError } from '../errors/errors';
import { backupLog } from '../process/log';
import { recoverInterrupted, type TBackupDeps } from '../service';
import { cleanStaleDownloads } from '../service/stale-downloads';
import { alertDepsFromEnv } from './alerts';
import { keyringFromEnv, offsiteFromEnv } from './config';
import { locateSchemaPaths } from './schema-paths';

let recovery: Promise<unknown> | undefined;
let downloadsCleaned: Promise<void> | undefined;
let drillsCleaned: Promise<void> | undefined;

/** The embedded database open in another process is, for this one, another operation running. */
async function openDb(): Promise<TBackupDeps['db']> {
  try {
    return await getDb();
  } catch (error) {
    if (error instanceof DataDirInUseError) throw new BackupError('BUSY', error.message, { cause: error });
    throw error;
  }
}

/**
 * The backup dependencies of this process, from the environment: the app's
 * database, BACKUP_DIR, the keyring, off-site storage and the alerts. The first call in a process cleans
 * up after a process that died mid-backup, and removes off-site copies it
 * had downloaded for a verify or restore, and the throwaway databases of
 * restore drills that did not finish (only logged if that fails: they
 * waste space, they do not make anything wrong).
 */
export async function defaultBackupDeps(audit: TAuditContext): Promise<TBackupDeps> {
  const env = loadEnv();
  const log = backupLog;
  // A malformed key fails at once; a missing one only fails what needs a key
  // (create, verify, restore), so listing and deleting work without it.
  const keyring: TKeyring | undefined = env.BACKUP_ENCRYPTION_KEY ? keyringFromEnv(env) : undefined;
  const db = await openDb();
  const deps: TBackupDeps = {
    db,
    backupDir: env.BACKUP_DIR,
    get keyring() {
      return keyring ?? keyringFromEnv(env);
    },
    audit,
    log,
    offsite: offsiteFromEnv(env),
    // Alerts, the heartbeat and the dead man's switch (README, "Alerts and health").
    ...alertDepsFromEnv(env, db, audit, log),
    drill: { serverUrl: env.BACKUP_DRILL_DATABASE_URL, schemaPaths: locateSchemaPaths() },
    workers: env.BACKUP_WORKERS,
  };
  recovery ??= recoverInterrupted(deps).catch((error: unknown) => {
    recovery = undefined;
    // Busy: another operation holds the lock; the next call here tries again. Nothing to report.
    if (error instanceof BackupError && error.code === 'BUSY') return;
    log(`[backup] Could not check for interrupted backups yet: ${String(error)}`);
  });
  downloadsCleaned ??= cleanStaleDownloads(deps.backupDir).then(
    (removed) => {
      if (removed.length > 0) log(`[backup] Removed ${removed.length} download(s) left by a verify or restore that did not finish`);
    },
    (error: unknown) => log(`[backup] Could not remove stale downloads in ${deps.backupDir}: ${String(error)}`),
  );
  drillsCleaned ??= removeDrillLeftovers({ live: deps.db.database, serverUrl: env.BACKUP_DRILL_DATABASE_URL }).then(
    (removed) => {
      if (removed.length > 0) log(`[backup] Removed ${removed.length} throwaway database(s) left by restore drills that did not finish`);
    },
    (error: unknown) => log(`[backup] Could not remove the throwaway databases of unfinished restore drills: ${String(error)}`),
  );
  await Promise.all([recovery, downloadsCleaned, drillsCleaned]);
  return deps;
}
