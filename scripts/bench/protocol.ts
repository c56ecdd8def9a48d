import type { TChunkSizes } from '@/lib/backup/snapshot/chunker';
import type { TDatabaseTarget } from '@/lib/db/target';

/** What the parent asks a measuring child to do (sent over the IPC channel). */
export type TChildJob = {
  target: TDatabaseTarget;
  keyHex: string;
  backupDir: string;
} /**
 * `workers`: the codec pool's threads (default: one per core, or BACKUP_WORKERS);
 * `kind`: a full backup (default) or a snapshot (`INCREMENTAL`); `chunkSizes`: a snapshot's (default: the format's).
 */ & (
  | { op: 'create'; workers?: number; kind?: 'FULL' | 'INCREMENTAL'; chunkSizes?: TChunkSizes }
  /** `safetyBackup`: take the PRE_RESTORE backup first, as a restore does unless told not to (default: skipped). */
  | { op: 'restore'; file: string; safetyBackup?: boolean }
  | { op: 'drill' }
);

/** How long an operation spent in one phase (as the engine's progress reports it), or on one model. */
export interface TSpan {
  name: string;
  ms: number;
}

/** Memory of the child process, in bytes. */
export interface TChildMemory {
  /** Peak resident set of the whole child (`getrusage` maxrss): the figure the requirement is about. */
  peakRss: number;
  /** Resident set just before the operation: runtime, tsx, modules, Prisma client and query compiler, one open connection. */
  baselineRss: number;
  /** Peak JS heap in use (garbage included), sampled every 100 ms during the operation. */
  peakHeapUsed: number;
  /** Peak memory outside the JS heap that V8 knows of (Buffers; on PGlite, the WebAssembly memory), sampled likewise. */
  peakExternal: number;
}

export interface TChildSuccess {
  ok: true;
  op: TChildJob['op'];
  /** Wall time of the service call alone. */
  wallMs: number;
  /**
   * CPU time of this process (all threads: JS, gzip, crypto and, on PGlite, the database) during the call;
   * on PostgreSQL the rest of the wall time is mostly waiting for the server.
   */
  cpuMs: number;
  /** Rows written to the file (create, incl. Backup/AuditLog) or restored (restore). */
  rows: number;
  /** The backup file (create). */
  file: string | null;
  sizeBytes: number | null;
  /** What a create newly wrote to storage (a snapshot: manifest + new chunks) and its chunk counts; null otherwise. */
  storedBytes: number | null;
  chunksNew: number | null;
  chunksReused: number | null;
  memory: TChildMemory;
  phases: TSpan[];
  models: TSpan[];
}

export type TChildResult = TChildSuccess | { ok: false; error: string };
