import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { TServiceResult } from '@/lib/backup/api/result';
import type { TProgress } from '@/lib/backup/process/progress';
import { backupProcessEnv, backupProcessExecArgv } from '../../bin/backup-process.mjs';
import type { TWorkerConfig } from './fault-worker';

/** A running fault-worker.ts process (see there): a real backup process the test can pause, kill or let go on. */
export interface TWorkerProcess {
  pid: number;
  /** Resolves with the progress at which the worker stopped (its `pause`). */
  paused: Promise<TProgress>;
  /** Lets a paused worker go on. */
  go(): void;
  /** kill -9. */
  kill(): void;
  /** Resolves when the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; result: TServiceResult<unknown> | null; stderr: string }>;
}

const tsx = createRequire(import.meta.url).resolve('tsx');
const script = path.join(import.meta.dirname, 'fault-worker.ts');

/** Starts a worker the way the erp-backup CLI starts its own (same Node flags and environment). */
export function startWorker(config: TWorkerConfig): TWorkerProcess {
  const child = spawn(process.execPath, [...backupProcessExecArgv(process.env), '--import', tsx, script, JSON.stringify(config)], {
    env: backupProcessEnv(process.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const paused = new Promise<TProgress>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const progress = /^PAUSED (.*)$/m.exec(stdout)?.[1];
      if (progress) resolve(JSON.parse(progress) as TProgress);
    });
    // Settles nothing once paused; a worker that ends first fails the test instead of leaving it waiting.
    child.on('close', (code, signal) => reject(new Error(`The worker ended (code ${code}, signal ${signal}) before pausing:\n${stderr}`)));
  });
  const exited = new Promise<Awaited<TWorkerProcess['exited']>>((resolve) => {
    child.on('close', (code, signal) => {
      const result = /^RESULT (.*)$/m.exec(stdout)?.[1];
      resolve({ code, signal, result: result ? (JSON.parse(result) as TServiceResult<unknown>) : null, stderr });
    });
  });
  return {
    pid: child.pid as number,
    paused,
    go: () => child.stdin.write('go\n'),
    kill: () => child.kill('SIGKILL'),
    exited,
  };
}
