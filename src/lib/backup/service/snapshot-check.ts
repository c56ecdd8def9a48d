import { BackupError } from '../errors/errors';
import type { TSnapshotTarget } from '../snapshot/chunk-targets';
import { manifestObjects, type TManifest } from '../snapshot/manifest';
import { shortChunkId } from '../snapshot/snapshot-reader';
import { chunkKey } from '../storage';
import { backupTargets } from './backup-storages';
import type { TBackupDeps } from './deps';
import { storageMessage } from './offsite';
import { openManifestWithKeys, readManifestBytes } from './snapshot-storage';

/** A chunk a manifest references that no backend holds whole. */
export interface TChunkProblem {
  id: string;
  model: string;
  problem: 'missing' | 'wrong size';
}

/** How many stats run at once (S3 HEAD requests). */
const STATS_IN_FLIGHT = 8;

/**
 * The chunks of `manifest` that no target holds with the recorded size,
 * found by asking the storage (never the index): a restore or verify checks
 * this before reading any row, so a snapshot with a lost chunk fails before
 * anything changes. Damage that keeps the size is found when the chunk is
 * read (its tag and id are checked), inside the restore's transaction.
 */
export async function chunkProblems(targets: TSnapshotTarget[], manifest: TManifest): Promise<TChunkProblem[]> {
  const unique = manifestObjects(manifest);
  const problems: TChunkProblem[] = [];
  const queue = [...unique.entries()];
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [id, { model, stored }] = next;
      const problem = await chunkProblem(targets, id, stored);
      if (problem) problems.push({ id, model, problem });
    }
  };
  await Promise.all(Array.from({ length: STATS_IN_FLIGHT }, worker));
  return problems.sort((a, b) => a.id.localeCompare(b.id));
}

async function chunkProblem(targets: TSnapshotTarget[], id: string, stored: number): Promise<TChunkProblem['problem'] | null> {
  let problem: TChunkProblem['problem'] = 'missing';
  for (const target of targets) {
    try {
      const info = await target.storage.stat(chunkKey(id));
      if (info.size === stored) return null;
      problem = 'wrong size';
    } catch (error) {
      if (!target.storage.isNotFound(error))
        throw new BackupError('STORAGE', `Could not check chunk ${shortChunkId(id)}: ${storageMessage(error)}`, { cause: error });
    }
  }
  return problem;
}

/**
 * The completed snapshots (ids) whose manifests reference any of `chunkIds`:
 * who else a lost chunk takes down. A manifest that cannot be read is
 * skipped (it is that snapshot's own problem, which its verify reports).
 */
export async function snapshotsReferencing(deps: TBackupDeps, chunkIds: readonly string[]): Promise<string[]> {
  const wanted = new Set(chunkIds);
  const rows = await deps.db.prisma.backup.findMany({
    where: { kind: 'INCREMENTAL', status: 'COMPLETED' },
    orderBy: { createdAt: 'asc' },
    select: { id: true, filename: true, keyId: true },
  });
  const targets = backupTargets(deps);
  const affected: string[] = [];
  for (const row of rows) {
    try {
      const { manifest } = openManifestWithKeys(await readManifestBytes(targets, row.filename), deps, row.keyId);
      if ([...manifestObjects(manifest).keys()].some((id) => wanted.has(id))) affected.push(row.id);
    } catch {
      // Unreadable: not counted here; its own verify says why.
    }
  }
  return affected;
}

/** The error for a snapshot whose chunks are not all there: what is missing, and every snapshot it takes down. */
export async function chunkProblemError(deps: TBackupDeps, problems: TChunkProblem[]): Promise<BackupError> {
  const affected = await snapshotsReferencing(
    deps,
    problems.map((problem) => problem.id),
  );
  const first = problems[0] as TChunkProblem;
  const described = `chunk ${shortChunkId(first.id)} (rows of ${first.model}) is ${first.problem === 'missing' ? 'missing' : 'damaged (wrong size)'}`;
  return new BackupError(
    'FILE_MISSING',
    `${problems.length} chunk(s) of this snapshot are missing or damaged in the storage: ${described}${problems.length > 1 ? ', and others' : ''}. ` +
      `Snapshots affected: ${affected.length > 0 ? affected.join(', ') : 'this one'}.`,
  );
}
