#!/usr/bin/env node
// Package bin for `erp-backup`: runs the CLI in a child Node (the project's
// Node 24 even when an older system Node started this file) with the backup
// process's memory settings (backup-process.mjs) and the `react-server` export
// condition, so the service's `server-only` marker resolves to its no-op (the
// CLI is server code). The child runs the compiled CLI (dist/cli, built by
// `npm install`, `npm run build` and `npm run build:cli`) when it is current,
// else the TypeScript sources through tsx: slower, never stale
// (cli-bundle.mjs). ERP_BACKUP_FROM_SOURCE=1 runs the sources regardless.
//
// This process only relays. Stop signals are forwarded to the child, which
// stops cleanly (its operation recorded FAILED, the lock released) and exits
// 128 + the signal's number; the exit code is passed on. If the child is
// killed by a signal it could not handle (SIGKILL, the OOM killer), this says
// so. If this process is killed by SIGKILL, the child notices the IPC channel
// closing and stops as for SIGTERM (src/cli/stop-signals.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backupProcessEnv, backupProcessExecArgv, backupProcessNode } from './backup-process.mjs';
import { CLI_BUNDLE, CLI_SOURCE, cliBundleStaleness } from './cli-bundle.mjs';

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];
const json = process.argv.slice(2).includes('--json');

/** Reports a failure the child could not report itself: one JSON document with --json, else a line on stderr. */
function fail(error) {
  if (json) process.stdout.write(`${JSON.stringify({ success: false, error, code: 'INTERRUPTED' })}\n`);
  else process.stderr.write(`erp-backup: ${error}\n`);
}

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** The child's script, the Node flags and the environment it needs. */
function cliEntry() {
  const stale = process.env.ERP_BACKUP_FROM_SOURCE === '1' ? 'ERP_BACKUP_FROM_SOURCE=1' : cliBundleStaleness(root);
  // Source maps: the bundle's stack traces (ERP_BACKUP_DEBUG=1) name the TypeScript files and lines.
  if (!stale) return { script: path.join(root, CLI_BUNDLE), flags: ['--enable-source-maps'], env: {} };
  // A checkout whose sources changed since the last build (a developer's): each such call costs seconds, so say why.
  if (process.env.ERP_BACKUP_FROM_SOURCE !== '1' && fs.existsSync(path.join(root, CLI_BUNDLE)))
    process.stderr.write(`erp-backup: running from source (${stale}); \`npm run build:cli\` makes it start faster\n`);
  return {
    script: path.join(root, CLI_SOURCE),
    flags: ['--import', createRequire(import.meta.url).resolve('tsx')],
    // The project's path aliases (@/...) resolve from any working directory.
    env: { TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json') },
  };
}

const entry = cliEntry();
const child = spawn(
  backupProcessNode(root),
  [...backupProcessExecArgv(process.env), ...entry.flags, entry.script, ...process.argv.slice(2)],
  {
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...backupProcessEnv(process.env), ...entry.env },
  },
);
let stopSent = false;
const forward = (signal) => {
  stopSent = true;
  child.kill(signal);
};
for (const signal of FORWARDED) process.on(signal, () => forward(signal));
// Under `npm run`, npm forwards SIGINT and SIGTERM only to the shell it
// started, and that shell (dash) dies without passing them on: its end, seen
// as a new parent, is the stop request. Elsewhere a parent may rightly exit
// first (`setsid erp-backup create &`), so this is for npm only; npm_* are
// set by npm itself, not by the operator.
if (process.env.npm_lifecycle_event) {
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    // After a forwarded signal the shell's end is the same request, not a second one.
    if (!stopSent) forward('SIGTERM');
  }, 1000);
  watch.unref();
}
child.on('error', (error) => {
  fail(`could not start the backup process: ${error.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    fail(
      `the backup process was killed by ${signal}; an unfinished backup is marked FAILED the next time erp-backup runs or the backups page is opened`,
    );
    process.exit(128 + (constants.signals[signal] ?? 0));
  }
  process.exit(code ?? 1);
});
