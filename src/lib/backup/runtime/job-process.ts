import { type ChildProcess, fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '@/lib/os/project-root';
import { backupProcessEnv, backupProcessExecArgv, backupProcessNode } from '../../../../bin/backup-process.mjs';
import { cliBundleStaleness, JOB_CHILD_BUNDLE, JOB_CHILD_SOURCE } from '../../../../bin/cli-bundle.mjs';
import { backupLog } from '../process/log';

/**
 * The backup child's scheduling priority (nice). On a busy machine the pages
 * get the CPU first and the backup the rest; on an idle one (a nightly run)
 * it changes nothing. Memory settings alone do not keep the pages' latency
 * within 2× of idle when both want the same cores (docs/benchmark.md).
 */
const BACKUP_NICENESS = 10;

/** The live backup child processes of this process, stopped with it. */
const children = new Set<ChildProcess>();
let stopOnExit = false;

/**
 * Forks a backup child process (src/cli/job-child.ts) the way the `erp-backup`
 * bin starts the CLI: on the project's Node with the backup process's memory
 * settings (bin/backup-process.mjs), from the compiled bundle when it is
 * current, else from the sources through tsx. Its IPC channel uses structured
 * clone, so results keep their Dates. When this process exits (the web server
 * stopping), each child gets SIGTERM and stops cleanly; if this process dies
 * without exiting (SIGKILL), the child sees the channel close and does the same.
 */
export function forkJobProcess(): ChildProcess {
  const root = projectRoot();
  const stale = cliBundleStaleness(root);
  // Resolved at run time: the app's server build must not trace (or bundle) the child's script.
  const script = path.join(/* turbopackIgnore: true */ root, stale ? JOB_CHILD_SOURCE : JOB_CHILD_BUNDLE);
  const child = fork(/* turbopackIgnore: true */ script, [], {
    cwd: root,
    execPath: backupProcessNode(root),
    execArgv: [...backupProcessExecArgv(process.env), ...(stale ? ['--import', 'tsx'] : ['--enable-source-maps'])],
    env: {
      ...backupProcessEnv(process.env),
      ...(stale ? { TSX_TSCONFIG_PATH: path.join(/* turbopackIgnore: true */ root, 'tsconfig.json') } : {}),
    },
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  if (child.pid !== undefined) lowerPriority(child.pid);
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!stopOnExit) {
    stopOnExit = true;
    process.once('exit', () => {
      for (const running of children) running.kill('SIGTERM');
    });
  }
  return child;
}

function lowerPriority(pid: number): void {
  try {
    os.setPriority(pid, BACKUP_NICENESS);
  } catch (error) {
    // Only the pages' latency under load depends on it: the backup itself is unaffected, so it is said and not fatal.
    backupLog(`[backup] Could not lower the priority of backup process ${pid}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
