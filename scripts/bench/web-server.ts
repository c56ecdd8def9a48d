import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { freePort } from '@/test/free-port';
import type { TCleanup } from './cleanup';
import { descendants, pidListeningOn } from './proc-memory';

/** A running `next start` of the production build. */
export interface TWebServer {
  baseUrl: string;
  /** The process that answers on the port (Next may serve from a child of the one started). */
  serverPid: number;
}

const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

/** Throws unless `npm run build` left a production build in `root`. */
export function requireBuild(root: string): void {
  if (!fs.existsSync(`${root}/.next/BUILD_ID`)) throw new Error('There is no production build: run `npm run build` first');
}

/**
 * Starts `next start` in its own process group with `env` (its output in
 * `logFile`), registers its stop (SIGTERM to the group, which also stops a
 * running backup child cleanly), and resolves once it answers.
 */
export async function startWebServer(
  options: { root: string; env: NodeJS.ProcessEnv; logFile: string },
  cleanup: TCleanup,
): Promise<TWebServer> {
  const port = await freePort();
  const log = fs.openSync(options.logFile, 'w');
  const child = spawn(process.execPath, [NEXT_BIN, 'start', '--port', String(port), '--hostname', '127.0.0.1'], {
    cwd: options.root,
    env: { ...options.env, PORT: String(port) },
    stdio: ['ignore', log, log],
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start next start');
  cleanup.defer('stop next start', async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      process.kill(-pid, 'SIGTERM');
      const killer = setTimeout(() => process.kill(-pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    fs.closeSync(log);
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode} (see ${options.logFile})`);
    const answered = await fetch(`${baseUrl}/login`, { redirect: 'manual' }).then(
      (response) => response.status < 500,
      () => false,
    );
    if (answered) break;
    if (Date.now() > deadline) throw new Error(`next start did not answer within 60 s (see ${options.logFile})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const serverPid = pidListeningOn(port, [pid, ...descendants(pid)]);
  if (serverPid === null) throw new Error(`no process of next start (pid ${pid}) listens on port ${port}`);
  return { baseUrl, serverPid };
}
