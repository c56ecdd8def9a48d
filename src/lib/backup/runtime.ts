import type { TAuditContext } from '@/lib/audit/audit-log';
import { getDb } from '@/lib/db/client';
import { loadEnv } from '@/lib/env';
import { keyringFromEnv, offsiteFromEnv } from './config';
import { recoverInterrupted, type TBackupDeps } from './service';
import { cleanStaleDownloads } from './service/stale-downloads';

let recovery: Promise<unknown> | undefined;
let downloadsCleaned: Promise<void> | undefined;

/**
 * The backup dependencies of this process, from the environment: the app's
 * database, BACKUP_DIR and the keyring. The first call in a process cleans
 * up after a process that died mid-backup, and removes off-site copies it
 * had downloaded for a verify or restore (only logged if that fails: they
 * waste space, they do not make anything wrong).
 */
export async function defaultBackupDeps(audit: TAuditContext): Promise<TBackupDeps> {
  const env = loadEnv();
  const log = (message: string) => console.error(message);
  const deps: TBackupDeps = {
    db: await getDb(),
    backupDir: env.BACKUP_DIR,
    keyring: keyringFromEnv(env, log),
    audit,
    log,
    offsite: offsiteFromEnv(env),
  };
  recovery ??= recoverInterrupted(deps).catch((error: unknown) => {
    recovery = undefined;
    log(`[backup] Could not check for interrupted backups yet: ${String(error)}`);
  });
  downloadsCleaned ??= cleanStaleDownloads(deps.backupDir).then(
    (removed) => {
      if (removed.length > 0) log(`[backup] Removed ${removed.length} download(s) left by a verify or restore that did not finish`);
    },
    (error: unknown) => log(`[backup] Could not remove stale downloads in ${deps.backupDir}: ${String(error)}`),
  );
  await Promise.all([recovery, downloadsCleaned]);
  return deps;
}
