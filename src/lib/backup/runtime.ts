import type { TAuditContext } from '@/lib/audit/audit-log';
import { getDb } from '@/lib/db/client';
import { loadEnv } from '@/lib/env';
import { keyringFromEnv, offsiteFromEnv } from './config';
import { recoverInterrupted, type TBackupDeps } from './service';

let recovery: Promise<unknown> | undefined;

/**
 * The backup dependencies of this process, from the environment: the app's
 * database, BACKUP_DIR and the keyring. The first call in a process cleans
 * up after a process that died mid-backup.
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
  await recovery;
  return deps;
}
