import type { ChildProcess } from 'node:child_process';
import { ZJobMessage } from '../api/job-messages';
import { backupLog } from '../process/log';
import { mirrorProgress } from '../process/progress';
import type { TScheduler } from '../scheduling/scheduler';
import { forkJobProcess } from './job-process';

/** How long after an unexpected end the schedule runner is started again (a crash loop must not spin). */
const RESTART_AFTER_MS = 30_000;

/**
 * Runs the schedule runner in a backup child process (src/cli/job-child.ts,
 * the same loop as `erp-backup scheduler`), so scheduled backups, prunes,
 * drills and scrubs do not run in the web server. Their progress is relayed
 * into this process, where the dashboard polls it. A child that dies is
 * started again after a pause; the slot it was running is claimed in the
 * database, so the next runner takes it over once the claim expires.
 * `stop()` asks it to stop (SIGTERM: its running backup is marked FAILED and
 * the slot goes back to the queue) and waits for it to exit.
 */
export function startSchedulerProcess(): TScheduler & { readonly pid: number | undefined } {
  let child: ChildProcess | null = null;
  let stopping = false;
  let restart: NodeJS.Timeout | undefined;
  const start = () => {
    const started = forkJobProcess();
    child = started;
    started.on('message', (raw) => {
      const message = ZJobMessage.safeParse(raw);
      if (message.success && message.data.type === 'progress') mirrorProgress(message.data.progress);
    });
    started.once('exit', (code, signal) => {
      child = null;
      if (stopping) return;
      backupLog(
        `[scheduler] The schedule runner's process ${signal ? `was killed by ${signal}` : `exited with code ${code}`}; starting it again in ${RESTART_AFTER_MS / 1000} s`,
      );
      restart = setTimeout(start, RESTART_AFTER_MS);
      // A pending restart must not keep a server that is shutting down alive.
      restart.unref();
    });
    if (started.pid !== undefined) started.send({ operation: 'scheduler' });
  };
  start();
  return {
    /** The running child's pid (tests, diagnostics). */
    get pid() {
      return child?.pid;
    },
    stop: async () => {
      stopping = true;
      clearTimeout(restart);
      const running = child;
      if (!running) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
}
