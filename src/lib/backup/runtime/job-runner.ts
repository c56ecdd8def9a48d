import type { TAuditContext } from '@/lib/audit/audit-log';
import { type TJobMessage, type TJobRequest, type TJobResult, ZJobMessage } from '../api/job-messages';
import { BackupError } from '../errors/errors';
import { backupLog } from '../process/log';
import { mirrorProgress, type TProgress } from '../process/progress';
import { recoverInterrupted } from '../service';
import { forkJobProcess } from './job-process';
import { defaultBackupDeps } from './runtime';

/** A backup, restore or drill running in a child process. */
export interface TJobHandle {
  /** The new backup's id once its row exists; null if the job ended without one (busy, failed before it, not a backup). */
  started: Promise<string | null>;
  /** The operation's result, as the facade returns it in-process; never rejects. */
  result: Promise<TJobResult>;
}

/** Tries to take the lock for the clean-up after a crash: the dead child's lock session may take a moment to end. */
const RECOVERY_ATTEMPTS = 10;
const RECOVERY_RETRY_MS = 500;

/**
 * Runs one operation in a backup child process (job-process.ts) and relays
 * it: its progress goes into this process's registry under the same id (the
 * dashboard polls it here), its result comes back as the facade's. A child
 * that dies before answering (killed, out of memory) becomes a clear failure,
 * after the start-up clean-up ran here: its RUNNING row is marked FAILED and
 * its temporary file removed, as the dead child can no longer do it.
 */
export function runJob(request: Exclude<TJobRequest, { operation: 'scheduler' }>): TJobHandle {
  const child = forkJobProcess();
  let progress: TProgress | null = null;
  let answer: TJobResult | null = null;
  let onStarted: (id: string | null) => void = () => {};
  const started = new Promise<string | null>((resolve) => {
    onStarted = resolve;
  });
  child.on('message', (raw) => {
    const message = ZJobMessage.safeParse(raw);
    if (!message.success) return backupLog(`[backup] Ignored a malformed message from backup process ${child.pid}`);
    handle(message.data);
  });
  const handle = (message: TJobMessage) => {
    if (message.type === 'started') onStarted(message.backupId);
    else if (message.type === 'progress') {
      progress = message.progress;
      mirrorProgress(message.progress);
    } else answer = message.result;
  };
  const result = new Promise<TJobResult>((resolve) => {
    child.once('error', (error) => {
      // Not started at all (a missing Node binary): no exit event follows.
      if (child.pid !== undefined) return;
      resolve(failure(`could not start the backup process: ${error.message}`));
    });
    // 'close', not 'exit': it comes after the IPC channel is drained, so a result sent just before exiting is never missed.
    child.once('close', (code, signal) => {
      if (answer) return resolve(answer);
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      if (progress && progress.phase !== 'done') mirrorProgress({ ...progress, phase: 'failed', updatedAt: Date.now() });
      void cleanUpAfter(request.actor).then(() => resolve(failure(`The backup process ${how} ${AFTER_DEATH[request.operation]}`)));
    });
  }).finally(() => onStarted(null));
  if (child.pid !== undefined) child.send(request);
  return { started, result };
}

/** What a child's death leaves, per operation: the user's next step depends on it. */
const AFTER_DEATH = {
  backup: 'before the backup finished: it is marked FAILED and its unfinished file removed',
  restore: 'before the restore reported its end: a restore that had not committed changed nothing (PostgreSQL rolls it back)',
  drill: 'before the drill finished: the live data was not touched, and its throwaway database is removed by the next operation',
} as const;

function failure(error: string): TJobResult {
  return { success: false, error, code: 'INTERRUPTED' };
}

/** The start-up clean-up (service/recover.ts), run here for a child that died; only logged if it cannot run now. */
async function cleanUpAfter(actor: TAuditContext): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await recoverInterrupted(await defaultBackupDeps(actor));
      return;
    } catch (error) {
      const busy = error instanceof BackupError && error.code === 'BUSY';
      if (busy && attempt < RECOVERY_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, RECOVERY_RETRY_MS));
        continue;
      }
      // The next operation's start-up clean-up (in its own child) does it then.
      backupLog(`[backup] Could not clean up after the backup process yet: ${String(error)}`);
      return;
    }
  }
}
