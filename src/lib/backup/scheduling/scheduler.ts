import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { BackupError } from '../errors';
import type { TBackupDeps } from '../service/deps';
import { runDue, type TRunDueResult } from './run-due';

/** How often a runner looks for due slots: a slot starts at most this late. */
export const POLL_MS = 15_000;

export interface TScheduler {
  /** Stops after the current pass (whose backup, if any, the caller interrupts or lets finish). */
  stop(): Promise<void>;
}

export interface TSchedulerOptions {
  /** The dependencies for each pass (opened lazily, so a database that is down at start-up only delays the first pass). */
  deps: () => Promise<TBackupDeps>;
  log: (message: string) => void;
  pollMs?: number;
  clock?: () => Date;
  /** Told of every pass (tests, the CLI's output). */
  onPass?: (result: TRunDueResult) => void;
}

/** A name for this runner in run claims: host, process and a random part (two runners in one process differ). */
export function newRunnerId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/**
 * Runs due slots every `pollMs` until stopped: the loop of `erp-backup
 * scheduler` and of each app instance. Exactly-once is the database's job
 * (slot-claims.ts), so any number of these may run against one database.
 * A failing pass (database down) is logged and tried again at the next poll.
 */
export function startScheduler(options: TSchedulerOptions): TScheduler {
  const pollMs = options.pollMs ?? POLL_MS;
  const clock = options.clock ?? (() => new Date());
  const runnerId = newRunnerId();
  let stopping = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopping) {
      try {
        const result = await runDue(await options.deps(), { runnerId, clock });
        options.onPass?.(result);
      } catch (error) {
        options.log(
          `[scheduler] A pass failed; trying again in ${Math.round(pollMs / 1000)} s: ${error instanceof BackupError ? error.message : String(error)}`,
        );
      }
      if (stopping) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();
  return {
    async stop() {
      stopping = true;
      wake?.();
      await loop;
    },
  };
}
