import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { NEXT_BIN } from './next-build';

/** A running `next start` of the app. */
export interface TAppServer {
  baseUrl: string;
  /** Stops the server (its whole process group); safe to call twice. */
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode} before answering (see the server log)`);
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the app did not answer ${url} within ${timeoutMs / 1000}s`);
}

/**
 * Starts `next start` (the production server, never dev) on `port` with
 * `env`, writes its output to `logFile`, and resolves once it answers.
 */
export async function startApp(options: { root: string; port: number; env: NodeJS.ProcessEnv; logFile: string }): Promise<TAppServer> {
  const log = fs.openSync(options.logFile, 'w');
  // Its own process group, so stopping it also stops anything it started.
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '--port', String(options.port), '--hostname', '127.0.0.1'], {
    cwd: options.root,
    env: options.env,
    stdio: ['ignore', log, log],
    detached: true,
  });
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const stop = once(async () => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      signalGroup(child.pid, 'SIGTERM');
      const killer = setTimeout(() => child.pid && signalGroup(child.pid, 'SIGKILL'), 5000);
      await exited(child);
      clearTimeout(killer);
    }
    fs.closeSync(log);
  });
  try {
    await waitUntilAnswering(`${baseUrl}/login`, child, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= fn();
    return done;
  };
}
