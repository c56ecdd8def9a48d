import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { BackupError, type TBackupErrorCode } from '../errors/errors';
import type { TCodecTaskName, TCodecTasks } from './codec-tasks';
import type { TCodecReply, TCodecRequest } from './codec-worker';
import { codecWorkerScript, type TWorkerScript } from './codec-worker-script';

type TInput<K extends TCodecTaskName> = Parameters<TCodecTasks[K]>[0];
type TOutput<K extends TCodecTaskName> = ReturnType<TCodecTasks[K]>;

interface TJob {
  request: TCodecRequest;
  transfer: ArrayBuffer[];
  resolve: (output: unknown) => void;
  reject: (error: Error) => void;
}

interface TPoolWorker {
  thread: Worker;
  job: TJob | null;
}

export interface TCodecPoolOptions {
  /** Worker threads; default: one per core. */
  size?: number;
  /** Heap cap of each worker; default: the process's own (bin/backup-process.mjs). */
  heapMb?: number;
  script?: TWorkerScript;
}

/**
 * A fixed set of worker threads that run codec tasks (codec-tasks.ts): one
 * task per worker at a time, the rest queued. The caller keeps order by
 * awaiting results in the order it asked for them. Idle workers do not keep
 * the process alive. A worker that dies (out of memory, a crash) fails the
 * task it held with a clear error and is replaced on the next task.
 */
export class CodecPool {
  readonly size: number;
  private readonly workers: TPoolWorker[] = [];
  private readonly queue: TJob[] = [];
  private nextId = 1;
  private closed = false;

  constructor(private readonly options: TCodecPoolOptions = {}) {
    this.size = Math.max(1, Math.floor(options.size ?? availableParallelism()));
  }

  run<K extends TCodecTaskName>(task: K, input: TInput<K>, transfer: ArrayBuffer[] = []): Promise<TOutput<K>> {
    if (this.closed) return Promise.reject(new BackupError('INTERNAL', 'The codec pool is closed'));
    return new Promise<TOutput<K>>((resolve, reject) => {
      this.queue.push({
        request: { id: this.nextId++, task, input },
        transfer,
        resolve: resolve as (output: unknown) => void,
        reject,
      });
      this.dispatch();
    });
  }

  /**
   * Starts every worker now rather than at the first tasks, so their start-up
   * (loading the worker's code) overlaps the caller's own preparation.
   */
  warm(): void {
    while (!this.closed && this.workers.length < this.size) this.spawn();
  }

  /** Stops every worker; queued tasks fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new BackupError('INTERNAL', 'The codec pool was closed'));
    await Promise.all(this.workers.splice(0).map((worker) => worker.thread.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const worker = this.workers.find((candidate) => candidate.job === null) ?? this.spawn();
      if (!worker) return;
      const job = this.queue.shift() as TJob;
      worker.job = job;
      worker.thread.ref();
      worker.thread.postMessage(job.request, job.transfer);
    }
  }

  private spawn(): TPoolWorker | null {
    if (this.workers.length >= this.size) return null;
    const script = this.options.script ?? codecWorkerScript();
    const thread = new Worker(script.file, {
      // A process profiled with --cpu-prof (the bench's --cpu-prof) profiles its workers too.
      execArgv: [...script.execArgv, ...process.execArgv.filter((flag) => flag.startsWith('--cpu-prof'))],
      resourceLimits: { maxOldGenerationSizeMb: this.options.heapMb ?? processHeapMb(), maxYoungGenerationSizeMb: 16 },
    });
    const worker: TPoolWorker = { thread, job: null };
    thread.on('message', (reply: TCodecReply) => {
      const job = worker.job;
      if (!job || job.request.id !== reply.id) return;
      worker.job = null;
      thread.unref();
      if ('error' in reply) job.reject(new BackupError(errorCode(reply.error.code), reply.error.message));
      else job.resolve(reply.output);
      this.dispatch();
    });
    const fail = (why: string) => {
      const index = this.workers.indexOf(worker);
      if (index === -1) return;
      this.workers.splice(index, 1);
      worker.job?.reject(new BackupError('INTERNAL', `A worker thread of the backup stopped (${why})`));
      worker.job = null;
      void thread.terminate();
      if (!this.closed) this.dispatch();
    };
    thread.on('error', (error) => fail(error.message));
    thread.on('exit', (code) => fail(`exit code ${code}`));
    // After the listeners: attaching a 'message' listener refs the worker's port
    // again, and a worker that never got a task (a warmed pool whose operation
    // failed first) kept its process alive.
    thread.unref();
    this.workers.push(worker);
    return worker;
  }
}

/**
 * The heap cap the process itself runs with (ERP_BACKUP_HEAP_MB for the CLI
 * and the backup child, bin/backup-process.mjs): a row that fits the process
 * fits a worker.
 */
function processHeapMb(): number {
  return Math.ceil(getHeapStatistics().heap_size_limit / 2 ** 20);
}

const KNOWN_CODES = new Set<string>(['CORRUPT', 'INVALID_INPUT', 'INTERNAL']);

function errorCode(code: string | undefined): TBackupErrorCode {
  return code !== undefined && KNOWN_CODES.has(code) ? (code as TBackupErrorCode) : 'INTERNAL';
}

const shared = new Map<number, CodecPool>();

/** The process's pool of `size` workers (default: one per core), started on first use and kept for the next operation. */
export function sharedCodecPool(size = availableParallelism()): CodecPool {
  let pool = shared.get(size);
  if (!pool) {
    pool = new CodecPool({ size });
    shared.set(size, pool);
  }
  return pool;
}
