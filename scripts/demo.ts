// `npm run demo`, after scripts/dev-secrets.ts: builds the app unless `.next` is already newer than
// everything the build reads (so a second demo starts at once), runs `next start` (whose start-up hook,
// src/instrumentation.ts, migrates the database and seeds the demo school on first start, announcing
// each step), and says when the app answers and how to sign in. Every slow step is announced before it
// runs: a first start takes a minute or two, and silence reads as a hang.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadEnv } from '@/lib/env';
import { loadEnvFiles } from '@/lib/env-files';
import { DEMO_PASSWORD, demoAccount } from '@/lib/seed/demo-accounts';

const root = process.cwd();
const buildInputs = ['src', 'prisma', 'public', 'next.config.js', 'package.json', 'package-lock.json', 'tsconfig.json'];
const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
const say = (message: string) => console.log(`School ERP: ${message}`);

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

function buildIfStale(): void {
  const builtAt = fs.statSync(path.join(root, '.next', 'BUILD_ID'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const changedAt = Math.max(...buildInputs.map((entry) => newestMtime(path.join(root, entry))));
  if (builtAt > changedAt) return;
  say(
    builtAt
      ? 'Rebuilding the app (the code changed since the last build; about a minute)...'
      : 'Building the app (first start only, about a minute)...',
  );
  const started = Date.now();
  const result = spawnSync(process.execPath, [nextBin, 'build'], {
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) process.exit(result.status ?? 1);
  say(`Built in ${Math.round((Date.now() - started) / 1000)} s.`);
}

/** Resolves once the app answers a page (after its start-up hook has migrated and seeded), or with false if the server exited. */
async function waitUntilServing(url: string, server: ReturnType<typeof spawn>): Promise<boolean> {
  while (server.exitCode === null && server.signalCode === null) {
    try {
      const response = await fetch(url, { redirect: 'manual' });
      if (response.status < 500) return true;
    } catch {
      // Nothing listens yet: `next start` is still starting. Asked again below.
    }
    await sleep(500);
  }
  return false;
}

loadEnvFiles();
const env = loadEnv();
buildIfStale();
say(`Starting on ${env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `the embedded database in ${env.DATA_DIR}`}...`);
const server = spawn(process.execPath, [nextBin, 'start'], { stdio: 'inherit' });
// A signal to the demo is passed on to the server; the demo ends when the server does, with its exit code.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

const url = `http://localhost:${env.PORT}`;
if (await waitUntilServing(url, server)) {
  const admin = demoAccount('ADMIN');
  say(
    env.DATABASE_URL
      ? `Ready on ${url}`
      : `Ready on ${url} — sign in as ${admin.email} with password ${DEMO_PASSWORD} (every demo login is listed in the README).`,
  );
}
