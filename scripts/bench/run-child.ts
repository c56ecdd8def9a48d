import { fork } from 'node:child_process';
import path from 'node:path';
import { backupProcessEnv, backupProcessExecArgv } from '../../bin/backup-process.mjs';
import { buildChildBundle } from './child-bundle';
import type { TCleanup } from './cleanup';
import type { TChildJob, TChildResult, TChildSuccess } from './protocol';

/** The compiled child, built once per bench run (from the sources as they are now). */
let childBundle: Promise<string> | undefined;

/**
 * Runs one measured operation in a fresh Node process (see `child.ts`) and
 * returns its report. The child is killed if the bench is cleaned up while
 * it runs. With `cpuProfDir`, the child writes V8 CPU profiles into
 * `<cpuProfDir>/<op>/` (the main thread's is the larger file).
 */
export async function runChild(job: TChildJob, cleanup: TCleanup, cpuProfDir?: string): Promise<TChildSuccess> {
  childBundle ??= buildChildBundle();
  const childModule = await childBundle;
  // One directory per operation: each worker thread writes a profile too, and Node names each file by pid and thread.
  const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(cpuProfDir, job.op)}`] : [];
  // The child runs like the erp-backup CLI does, so the figures are the CLI's.
  const child = fork(childModule, [], {
    execArgv: [...backupProcessExecArgv(process.env), ...profile],
    env: backupProcessEnv(process.env),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const forget = cleanup.defer(`stop ${job.op} child ${child.pid}`, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise<TChildSuccess>((resolve, reject) => {
    let result: TChildResult | null = null;
    child.once('message', (message: TChildResult) => {
      result = message;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      void forget();
      if (result?.ok) resolve(result);
      else if (result) reject(new Error(`${job.op} failed in the child process:\n${result.error}`));
      else reject(new Error(`The ${job.op} child process exited with ${signal ?? `code ${code}`} before reporting`));
    });
    child.send(job);
  });
}
