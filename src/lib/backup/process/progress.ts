import { throwIfInterrupted } from './interrupt';

/**
 * Live progress of running operations, kept in memory of the process doing
 * the work (the dashboard polls it through an action). Finished entries stay
 * for a while so the last poll sees 100%.
 */
export type TProgressPhase =
  | 'preparing'
  | 'exporting'
  | 'finishing'
  | 'uploading'
  | 'verifying'
  | 'safety-backup'
  | 'restoring'
  | 'done'
  | 'failed';

export interface TProgress {
  id: string;
  operation: 'backup' | 'restore' | 'verify';
  phase: TProgressPhase;
  rowsDone: number;
  rowsTotal: number;
  bytesWritten: number;
  currentModel: string | null;
  startedAt: number;
  updatedAt: number;
}

const KEEP_FINISHED_MS = 10 * 60_000;
const entries = new Map<string, TProgress>();
const watchers = new Set<(progress: TProgress) => void>();

/**
 * Calls `watcher` with a copy of every entry started or updated in this
 * process, until the returned function is called: how a backup child process
 * reports its progress to the web server that started it (src/cli/job-child.ts).
 */
export function watchProgress(watcher: (progress: TProgress) => void): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

function notify(progress: TProgress): void {
  for (const watcher of watchers) watcher({ ...progress });
}

/**
 * Records progress made by another process (a backup child: runtime/job-runner.ts)
 * under its own id, so this process's pollers see it as if it ran here.
 */
export function mirrorProgress(progress: TProgress): void {
  entries.set(progress.id, { ...progress });
}

export function startProgress(id: string, operation: TProgress['operation']): TProgress {
  const now = Date.now();
  for (const [key, entry] of entries) if (now - entry.updatedAt > KEEP_FINISHED_MS) entries.delete(key);
  const progress: TProgress = {
    id,
    operation,
    phase: 'preparing',
    rowsDone: 0,
    rowsTotal: 0,
    bytesWritten: 0,
    currentModel: null,
    startedAt: now,
    updatedAt: now,
  };
  entries.set(id, progress);
  notify(progress);
  return progress;
}

/**
 * Records progress. A new phase or a new count of rows is also a checkpoint
 * where an operation stops if the process was asked to (interrupt.ts): it
 * throws there, inside the operation's own error handling. Finishing phases
 * never throw, nor do byte counts, which storage libraries report from their
 * own callbacks.
 */
export function updateProgress(progress: TProgress, patch: Partial<Omit<TProgress, 'id' | 'operation' | 'startedAt'>>): void {
  const finishing = patch.phase === 'done' || patch.phase === 'failed';
  if (!finishing && (patch.phase !== undefined || patch.rowsDone !== undefined)) throwIfInterrupted(progress.operation === 'restore');
  Object.assign(progress, patch, { updatedAt: Date.now() });
  notify(progress);
}

export function getProgress(id: string): TProgress | null {
  const entry = entries.get(id);
  return entry ? { ...entry } : null;
}

/** Percent done (0–100) from rows, for progress bars. */
export function percentOf(progress: TProgress): number {
  if (progress.phase === 'done') return 100;
  if (progress.rowsTotal === 0) return 0;
  return Math.min(99, Math.floor((progress.rowsDone / progress.rowsTotal) * 100));
}

/** The most recently updated unfinished operation in this process (for the CLI's progress bar). */
export function getActiveProgress(): TProgress | null {
  let latest: TProgress | null = null;
  for (const entry of entries.values()) {
    if (entry.phase !== 'done' && entry.phase !== 'failed' && (!latest || entry.updatedAt > latest.updatedAt)) latest = entry;
  }
  return latest ? { ...latest } : null;
}
