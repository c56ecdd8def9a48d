import { createHash } from 'node:crypto';
import type { Backup } from '@/generated/prisma/client';
import { findFileKey, sha256File } from '../crypto/encrypted-file';
import { allKeys } from '../crypto/keys';
import { BackupError } from '../errors/errors';
import { fileContent, type TBackupContent } from '../format/backup-content';
import type { TSnapshotTarget } from '../snapshot/chunk-targets';
import type { TManifest } from '../snapshot/manifest';
import { snapshotContent } from '../snapshot/snapshot-content';
import { backupTargets } from './backup-storages';
import type { TBackupDeps } from './deps';
import { withBackupFile } from './offsite';
import { chunkProblemError, chunkProblems } from './snapshot-check';
import { chunkFetch, openManifestWithKeys, readManifestBytes } from './snapshot-storage';

const CHECKSUM_MISMATCH = 'does not match the checksum recorded when it was made: it was modified or damaged';

/**
 * Runs `use` with an opener of a completed backup's content, which checks it
 * as far as can be before any row is read: a full backup's file (local, else
 * downloaded for the duration of `use`) against its recorded SHA-256 and
 * auth tag; a snapshot's manifest against its SHA-256 and tag, and every
 * chunk it lists present with its recorded size (a missing one fails there,
 * naming the snapshots it takes down). The caller opens inside its own
 * error handling, so a failed check is reported like any failure of it.
 */
export async function withBackupContent<T>(
  row: Backup,
  deps: TBackupDeps,
  use: (open: () => Promise<TBackupContent>, source: 'local' | 'cloud') => Promise<T>,
): Promise<T> {
  if (row.kind === 'INCREMENTAL') {
    const targets = backupTargets(deps);
    return use(
      async () => {
        const { manifest, key } = await openSnapshotManifest(row, deps);
        return snapshotContentIn(targets, manifest, key, deps);
      },
      targets[0]?.place === 'local' ? 'local' : 'cloud',
    );
  }
  return withBackupFile(row, deps, ({ path: filePath, source }) =>
    use(async () => {
      if (row.sha256 && (await sha256File(filePath)) !== row.sha256)
        throw new BackupError('CORRUPT', `The backup file ${CHECKSUM_MISMATCH}.`);
      return fileContent(filePath, await findFileKey(filePath, allKeys(deps.keyring), row.keyId));
    }, source),
  );
}

/** A snapshot row's manifest, read from the first backend that has it, checked against the row's SHA-256 and authenticated. */
export async function openSnapshotManifest(row: Pick<Backup, 'filename' | 'sha256' | 'keyId'>, deps: TBackupDeps) {
  const targets = backupTargets(deps);
  const sealed = await readManifestBytes(targets, row.filename);
  if (row.sha256 && createHash('sha256').update(sealed).digest('hex') !== row.sha256)
    throw new BackupError('CORRUPT', `The snapshot's manifest ${CHECKSUM_MISMATCH}.`);
  return { ...openManifestWithKeys(sealed, deps, row.keyId), sealed };
}

/** The snapshot's content read from `targets` (in order), once every chunk it lists is known to be stored whole there. */
export async function snapshotContentIn(
  targets: TSnapshotTarget[],
  manifest: TManifest,
  key: TBackupContent['key'],
  deps: TBackupDeps,
): Promise<TBackupContent> {
  const problems = await chunkProblems(targets, manifest);
  if (problems.length > 0) throw await chunkProblemError(deps, problems);
  return snapshotContent(manifest, key, chunkFetch(targets));
}
