import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '@/lib/os/process-alive';
import { DOWNLOAD_TEMP_PREFIX } from '../storage/file-names';

/**
 * Off-site copies are downloaded to `BACKUP_DIR/.tmp-download-<pid>-<random>-<name>`
 * for a verify or restore and removed afterwards; a process that dies
 * meanwhile leaves its file behind. The pid in the name tells whose it is.
 */
const PID_IN_NAME = /^(\d+)-/;
/** A download older than this is stale even if a process with its pid runs (pids are reused). */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** A fresh temporary path for downloading `name` into `backupDir`. */
export function downloadTempPath(backupDir: string, name: string): string {
  const safe = path.basename(name).replace(/[^A-Za-z0-9._-]/g, '_');
  return path.join(backupDir, `${DOWNLOAD_TEMP_PREFIX}${process.pid}-${randomBytes(6).toString('hex')}-${safe}`);
}

/**
 * Removes downloads left by verifies and restores of processes that died:
 * those whose process is gone, and any older than a day. A download of a
 * live process (the CLI verifying while the app starts) is left alone.
 * Returns the names removed.
 */
export async function cleanStaleDownloads(backupDir: string, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(backupDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const removed: string[] = [];
  for (const name of names.filter((entry) => entry.startsWith(DOWNLOAD_TEMP_PREFIX))) {
    const file = path.join(backupDir, name);
    // Gone since the listing (its own process removed it): nothing left to clean.
    const stat = await fs.promises.stat(file).catch(() => null);
    if (!stat) continue;
    const pid = Number(PID_IN_NAME.exec(name.slice(DOWNLOAD_TEMP_PREFIX.length))?.[1] ?? Number.NaN);
    if (Number.isInteger(pid) && pid !== process.pid && isProcessAlive(pid) && now - stat.mtimeMs < MAX_AGE_MS) continue;
    if (pid === process.pid && now - stat.mtimeMs < MAX_AGE_MS) continue;
    await fs.promises.rm(file, { force: true });
    removed.push(name);
  }
  return removed;
}
