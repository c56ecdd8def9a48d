import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runCommand } from './run-command';

// What `next build` reads: a build older than any of these is stale (the same rule as scripts/demo.ts).
const BUILD_INPUTS = ['src', 'prisma', 'public', 'next.config.js', 'package.json', 'package-lock.json', 'tsconfig.json'];

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

/** The path of Next's CLI, for `next build` and `next start`. */
export const NEXT_BIN = createRequire(import.meta.url).resolve('next/dist/bin/next');

/**
 * Runs `next build` unless `.next/BUILD_ID` is newer than every build input
 * (CI has just built). `next build` rewrites tsconfig.json; the file is put
 * back as it was, timestamp included, so a shared checkout stays clean and
 * the build stays fresh.
 */
export async function buildIfStale(root: string, log: (message: string) => void): Promise<void> {
  const builtAt = fs.statSync(path.join(root, '.next', 'BUILD_ID'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const changedAt = Math.max(...BUILD_INPUTS.map((entry) => newestMtime(path.join(root, entry))));
  if (builtAt > changedAt) {
    log('the production build is up to date');
    return;
  }
  log('building the app (next build)...');
  const tsconfig = path.join(root, 'tsconfig.json');
  const before = { text: fs.readFileSync(tsconfig, 'utf8'), stat: fs.statSync(tsconfig) };
  try {
    await runCommand(process.execPath, [NEXT_BIN, 'build'], { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }, root);
  } finally {
    if (fs.readFileSync(tsconfig, 'utf8') !== before.text) {
      fs.writeFileSync(tsconfig, before.text);
      fs.utimesSync(tsconfig, before.stat.atime, before.stat.mtime);
    }
  }
}
