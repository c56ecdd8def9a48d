import fs from 'node:fs';
import type { Readable } from 'node:stream';
import type { Backup } from '@/generated/prisma/client';
import { writeEncryptedFile } from '../crypto/encrypted-file';
import { gzipMembers } from '../snapshot/gzip-members';
import { snapshotDocument } from '../snapshot/snapshot-reader';
import { standaloneNameOf } from '../storage/file-names';
import { backupTargets } from './backup-storages';
import type { TBackupDeps } from './deps';
import { openSnapshotManifest } from './open-content';
import { chunkProblemError, chunkProblems } from './snapshot-check';
import { chunkFetch } from './snapshot-storage';
import { downloadTempPath } from './stale-downloads';

/**
 * A snapshot as one standalone file in the full backup's layout (the same
 * document, gzip, sealed with the snapshot's key), so a downloaded snapshot
 * is one portable file that `restore-file` reads like any backup. The file
 * is written to a temporary name in BACKUP_DIR (the auth tag goes first, so
 * it cannot stream straight out), opened, and unlinked at once: it lives
 * only as long as the download's stream, and a crash leaves at most a
 * temporary file the next start removes.
 */
export async function openStandaloneSnapshot(
  row: Backup,
  deps: TBackupDeps,
): Promise<{ filename: string; size: number; stream: Readable }> {
  const { manifest, key } = await openSnapshotManifest(row, deps);
  const targets = backupTargets(deps);
  const problems = await chunkProblems(targets, manifest);
  if (problems.length > 0) throw await chunkProblemError(deps, problems);
  const filename = standaloneNameOf(row.filename);
  const tempPath = downloadTempPath(deps.backupDir, filename);
  await fs.promises.mkdir(deps.backupDir, { recursive: true });
  try {
    const { size } = await writeEncryptedFile(tempPath, key, gzipMembers(snapshotDocument(manifest, key, chunkFetch(targets))));
    const handle = await fs.promises.open(tempPath, 'r');
    return { filename, size, stream: handle.createReadStream() };
  } finally {
    await fs.promises.rm(tempPath, { force: true });
  }
}
