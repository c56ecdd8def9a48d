import { type ChildProcessByStdio, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';

const BIN = path.resolve(import.meta.dirname, '../../bin/erp-backup.mjs');

export interface TCliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface TCliProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the process has exited and its output is complete. */
  done: Promise<TCliRun>;
}

/**
 * Writes a package.json into `dir` whose `erp-backup` script runs the real
 * bin, as the project's does, so `npm run erp-backup` can run from a scratch
 * directory.
 */
export function writeNpmPackage(dir: string): void {
  const scripts = { 'erp-backup': `node ${JSON.stringify(BIN)}` };
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'erp-cli-test', private: true, scripts }));
}

/**
 * Starts the real `erp-backup` bin in its own process, as an operator would
 * (or through `npm run`, given a package.json from `writeNpmPackage`, or on a
 * terminal of its own), with only PATH and the given variables and in `cwd` (a
 * scratch directory), so the developer's own environment and .env files
 * cannot leak in.
 */
export function startCli(options: { env: Record<string, string>; cwd: string; via?: 'npm' | 'terminal' }, ...args: string[]): TCliProcess {
  // A cast: Next's types make NODE_ENV required, and some tests leave it unset on purpose.
  const childEnv = { PATH: process.env.PATH ?? '', ...options.env } as unknown as NodeJS.ProcessEnv;
  const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
  const [command, commandArgs] =
    options.via === 'npm'
      ? ['npm', ['run', '-s', 'erp-backup', '--', ...args]]
      : options.via === 'terminal'
        ? // util-linux script(1): the bin runs on a pseudo-terminal of its own, which hangs up when script dies.
          ['script', ['-qfc', [process.execPath, BIN, ...args].map(quote).join(' '), '/dev/null']]
        : [process.execPath, [BIN, ...args]];
  const child = spawn(command, commandArgs, {
    cwd: options.cwd,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<TCliRun>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, stdout: () => stdout, stderr: () => stderr, done };
}

/**
 * Waits for `check` to hold, polling; fails with `what` after `timeoutMs`,
 * so a process that hangs fails the test instead of hanging the suite.
 */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Settles with the run, or fails if the process has not exited within `timeoutMs` (and kills it). */
export async function exitWithin(cli: TCliProcess, timeoutMs: number): Promise<TCliRun> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cli.child.kill('SIGKILL');
      reject(new Error(`erp-backup did not exit within ${timeoutMs} ms; stderr so far: ${cli.stderr()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([cli.done, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a process is running: a zombie (exited, not yet reaped by its new parent) is not. */
export function isAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  return statFields(stat)[0] !== 'Z';
}

/** The fields of /proc/<pid>/stat after "pid (comm)", whose comm may hold spaces and parentheses: state, ppid, ... */
function statFields(stat: string): string[] {
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/** The pids of a process's children, from /proc (Linux). */
export function childPids(parentPid: number): number[] {
  const children: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // exited while listing
    }
    const ppid = Number(statFields(stat)[1]);
    if (ppid === parentPid) children.push(Number(entry));
  }
  return children;
}

/** The pids of a process's children, their children, and so on. */
export function descendantPids(pid: number): number[] {
  return childPids(pid).flatMap((child) => [child, ...descendantPids(child)]);
}

/** The worker process the bin wrapper started, once it exists. */
export async function workerPidOf(cli: TCliProcess): Promise<number> {
  const wrapperPid = cli.child.pid as number;
  let worker: number | undefined;
  await waitUntil('the bin wrapper has started its worker', () => {
    worker = childPids(wrapperPid)[0];
    return worker !== undefined;
  });
  return worker as number;
}
