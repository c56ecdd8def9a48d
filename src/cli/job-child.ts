import { type TJobMessage, type TJobRequest, ZJobRequest } from '@/lib/backup/api/job-messages';
import { publicMessage } from '@/lib/backup/errors/errors';
import { interruptOperations } from '@/lib/backup/process/interrupt';
import { backupLog } from '@/lib/backup/process/log';
import { type TProgress, watchProgress } from '@/lib/backup/process/progress';
import { handleStopSignals, signalExitCode } from './stop-signals';

/**
 * A backup child process: runs one operation for the web server that forked
 * it (src/lib/backup/runtime/job-runner.ts), with the CLI's memory settings,
 * so a backup, restore or drill does not compete with the pages. The job
 * comes as the first IPC message; progress, the new backup's id and the
 * result go back the same way. Stopped like the CLI (stop-signals.ts): by
 * SIGTERM, or when the web server dies and the channel closes, the operation
 * fails at its next checkpoint, records it, and releases the lock.
 */

/** Progress is sent at most this often per operation; phase changes and the end always go at once. */
const PROGRESS_EVERY_MS = 200;

function send(message: TJobMessage): Promise<void> {
  // A parent that is gone has nothing to hear; the stop handler is already ending the operation.
  if (!process.connected || !process.send) return Promise.resolve();
  return new Promise((resolve) => process.send?.(message, undefined, {}, () => resolve()));
}

function relayProgress(): () => void {
  const last = new Map<string, TProgress>();
  return watchProgress((progress) => {
    const previous = last.get(progress.id);
    if (previous && previous.phase === progress.phase && progress.updatedAt - previous.updatedAt < PROGRESS_EVERY_MS) return;
    last.set(progress.id, progress);
    void send({ type: 'progress', progress });
  });
}

async function run(request: TJobRequest): Promise<TJobMessage | null> {
  // Imported once the job is known, as the CLI does: the service loads its drivers on first use.
  const backups = await import('@/lib/utils/backup-service');
  switch (request.operation) {
    case 'backup':
      return {
        type: 'result',
        result: await backups.createBackup(request.input, {
          actor: request.actor,
          onStarted: (backupId) => void send({ type: 'started', backupId }),
        }),
      };
    case 'restore':
      return { type: 'result', result: await backups.restoreBackup(request.id, request.options, { actor: request.actor }) };
    case 'drill':
      return { type: 'result', result: await backups.drillBackup(request.id, { actor: request.actor }) };
    case 'scheduler':
      await backups.runScheduler();
      return null;
  }
}

const request = ZJobRequest.parse(await new Promise((resolve) => process.once('message', resolve)));
handleStopSignals(
  {
    stop: (reason) => interruptOperations(reason),
    abandon: (signal, why) => {
      backupLog(`[backup] Backup process ${process.pid} exits without waiting: ${why}`);
      process.exit(signalExitCode(signal));
    },
  },
  'the web server',
);
const stopRelay = relayProgress();
const outcome = await run(request).catch((error: unknown): TJobMessage => {
  // Outside the service's own error handling, such as a module that failed to load.
  backupLog(`[backup] Backup process ${process.pid}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return { type: 'result', result: { success: false, error: publicMessage(error), code: 'INTERNAL' } };
});
stopRelay();
if (outcome) await send(outcome);
// Database pools would otherwise keep the process alive for their idle timeout.
process.exit(0);
