// `npm run demo` (step 1 of 2): builds the app unless `.next` is already newer
// than everything the build reads, so a second demo starts at once. The npm
// script then runs `next start`, whose start-up hook (src/instrumentation.ts)
// migrates and seeds the embedded database.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = process.cwd();
const buildInputs = ['src', 'prisma', 'public', 'next.config.js', 'package.json', 'package-lock.json', 'tsconfig.json'];

function newestMtime(entry) {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs.readdirSync(entry).reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

const builtAt = fs.statSync(path.join(root, '.next', 'BUILD_ID'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changedAt = Math.max(...buildInputs.map((entry) => newestMtime(path.join(root, entry))));

if (builtAt > changedAt) {
  console.log('School ERP: the build is up to date.');
} else {
  console.log('School ERP: building the app (only when the code changed since the last build)...');
  const nextBin = createRequire(import.meta.url).resolve('next/dist/bin/next');
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
  const result = spawnSync(process.execPath, [nextBin, 'build'], { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
console.log('School ERP: starting on the embedded database unless DATABASE_URL is set; demo logins are printed below on first start.');
