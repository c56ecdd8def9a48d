import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { applyMigrations } from '@/lib/db/migrate';
import { loadEnv } from '@/lib/env';
import { loadEnvFiles } from '@/lib/env-files';
import { seedDatabase } from '@/lib/seed';
import { DEMO_PASSWORD } from '@/lib/seed/demo-accounts';
import { cleanupOnSignals, createCleanup, type TCleanup } from './bench/cleanup';
import { procMemory } from './bench/proc-memory';
import { createScratchTarget } from './bench/scratch-target';
import { BENCH_WEB_USAGE, parseBenchWebArgs, type TBenchWebArgs } from './bench/web-args';
import { loadPages, type TPageLatency } from './bench/web-load';
import { type TWebFigures, webReport } from './bench/web-report';
import { sampleWebMemory } from './bench/web-sampler';
import { requireBuild, startWebServer, type TWebServer } from './bench/web-server';
import { withDb } from './bench/with-db';

// `npm run build && npm run bench:web -- --scale N`: issue 13's web target. A
// backup started from the dashboard must leave the web server's RSS within
// 64 MiB of where it was and the p99 latency of / and /admin/backups within
// 2× of idle. Usage and method: scripts/bench/web-args.ts.

const ROOT = path.resolve(import.meta.dirname, '..');
const PAGES = ['/', '/admin/backups'];
/** The seed's administrator of every school: an ADMIN is refused backups of a database with several schools. */
const SUPER_ADMIN = 'superadmin@demo.school';
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

async function seed(url: string, scale: number, cleanup: TCleanup): Promise<void> {
  await withDb({ kind: 'postgres', url }, cleanup, async (db) => {
    await applyMigrations(db.database.adapterFactory);
    console.log(`Seeding ${scale} school(s)...`);
    const report = await seedDatabase(db.prisma, { scale });
    console.log(`Seed: ${report.totalRows.toLocaleString('en-US')} rows in ${(report.durationMs / 1000).toFixed(1)} s`);
  });
}

/** The server's environment: the scratch database, a fresh key and secret, local storage, no schedules; none of the caller's backup or cloud settings. */
function serverEnv(databaseUrl: string, workDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (/^(S3_|AWS_|BACKUP_)/.test(key)) delete env[key];
  return {
    ...env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: databaseUrl,
    BACKUP_DIR: path.join(workDir, 'backups'),
    BACKUP_STORAGE: 'local',
    BACKUP_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    // Only the dashboard's backup runs during the measurement.
    BACKUP_SCHEDULER: 'off',
  };
}

/** Signs in through the real form and opens the dashboard; returns the page and the session cookie for the load tool. */
async function signIn(server: TWebServer, cleanup: TCleanup): Promise<{ page: Page; cookie: string }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  cleanup.defer('close Chromium', () => browser.close());
  const page = await browser.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(`${server.baseUrl}/login?next=/admin/backups`);
  await page.getByLabel('Email').fill(SUPER_ADMIN);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.baseUrl}/admin/backups`);
  await page.getByRole('heading', { level: 1, name: 'Backups' }).waitFor();
  const cookie = (await page.context().cookies()).map((entry) => `${entry.name}=${entry.value}`).join('; ');
  return { page, cookie };
}

/** Waits for the backup created after `since` to end; its status, duration, rows and the pid that ran it. */
async function waitForBackup(url: string, since: Date): Promise<{ status: string; ms: number; rows: number; pid: number }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const deadline = Date.now() + 30 * 60_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const { rows } = await client.query(
        `SELECT status, owner, "totalRows", "createdAt", "completedAt" FROM "Backup" WHERE "createdAt" >= $1 ORDER BY "createdAt" LIMIT 1`,
        [new Date(since.getTime() - 1000)],
      );
      const row = rows[0];
      if (!row || row.status === 'RUNNING') continue;
      return {
        status: row.status,
        ms: (row.completedAt ?? new Date()).getTime() - row.createdAt.getTime(),
        rows: Number(row.totalRows ?? 0),
        pid: Number(/ pid=(\d+)/.exec(row.owner ?? '')?.[1] ?? 0),
      };
    }
    throw new Error('the backup did not end within 30 minutes');
  } finally {
    await client.end();
  }
}

function printLatencies(when: string, pages: TPageLatency[]): void {
  for (const page of pages) {
    console.log(`  ${when} ${page.path}: ${page.requests} requests, p50 ${page.p50} ms, p99 ${page.p99} ms, ${page.failures} failed`);
  }
}

async function measure(args: TBenchWebArgs, adminUrl: string, cleanup: TCleanup): Promise<TWebFigures> {
  const scratch = await createScratchTarget(adminUrl, cleanup);
  const url = scratch.postgresUrl as string;
  console.log(`Scratch database: ${scratch.label}`);
  await seed(url, args.scale, cleanup);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-bench-web-'));
  cleanup.defer(`remove ${workDir}`, () => fs.rmSync(workDir, { recursive: true, force: true }));
  const server = await startWebServer({ root: ROOT, env: serverEnv(url, workDir), logFile: path.join(workDir, 'server.log') }, cleanup);
  console.log(`next start on ${server.baseUrl}, server pid ${server.serverPid}`);
  const { page, cookie } = await signIn(server, cleanup);
  const load = (seconds: number) => loadPages({ baseUrl: server.baseUrl, paths: PAGES, connections: args.connections, seconds, cookie });

  console.log('Warming up (3 s)...');
  await load(3).done;
  console.log(`Idle: ${args.seconds} s on ${PAGES.join(' and ')} at once, ${args.connections} connection(s) each`);
  const idleSampler = sampleWebMemory(server.serverPid);
  const idle = await load(args.seconds).done;
  const idlePeakRss = idleSampler.stop().serverPeak;
  const idleLoad = os.loadavg();
  printLatencies('idle', idle);

  // 1. The memory target: a backup with no load but the dashboard's own polling, so the pages' own
  //    heap growth under a long load (tens of MiB) is not counted as the backup's.
  const rssBefore = procMemory(server.serverPid) ?? 0;
  const sampler = sampleWebMemory(server.serverPid);
  console.log('Backup 1 (memory): clicking "Create backup" with no load on the server...');
  const quiet = await clickBackup(page, url);
  const memory = sampler.stop();
  console.log(`  ${quiet.status} in ${(quiet.ms / 1000).toFixed(1)} s; web server RSS ${mib(rssBefore)} -> peak ${mib(memory.serverPeak)}`);

  // 2. The latency target: the same pages under the same load as idle, while a second backup runs.
  console.log('Backup 2 (latency): clicking "Create backup", loading the pages until the backup ends...');
  const loadedSampler = sampleWebMemory(server.serverPid);
  const during = load(30 * 60);
  const backup = await clickBackup(page, url);
  during.stop();
  const duringPages = await during.done;
  const loadedPeakRss = loadedSampler.stop().serverPeak;
  printLatencies('during', duringPages);
  return {
    idle,
    during: duringPages,
    rssBefore,
    idlePeakRss,
    loadedPeakRss,
    memory,
    backups: [quiet, backup].map((run) => ({ status: run.status, ms: run.ms, rows: run.rows, ranInServer: run.pid === server.serverPid })),
    loadAverage: { idle: idleLoad, during: os.loadavg() },
  };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Clicks the dashboard's button (the real server action) and waits for that backup to end. */
async function clickBackup(page: Page, url: string) {
  const button = page.getByRole('button', { name: 'Create backup' });
  await button.waitFor();
  const clickedAt = new Date();
  await button.click();
  return waitForBackup(url, clickedAt);
}

async function main(): Promise<number> {
  const parsed = parseBenchWebArgs(process.argv.slice(2));
  if (parsed.kind === 'help') {
    console.log(BENCH_WEB_USAGE);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`bench:web: ${parsed.message}\n\n${BENCH_WEB_USAGE}`);
    return 2;
  }
  loadEnvFiles();
  const adminUrl = loadEnv().BENCH_DATABASE_URL;
  if (!adminUrl) {
    console.error(
      'bench:web: set BENCH_DATABASE_URL to a PostgreSQL server (on the embedded database backups run in the web server by design)',
    );
    return 2;
  }
  requireBuild(ROOT);
  const cleanup = createCleanup();
  cleanupOnSignals(cleanup);
  try {
    console.log(`Machine: ${os.cpus().length} CPU(s), Node ${process.version}; scale ${parsed.args.scale}`);
    const report = webReport(await measure(parsed.args, adminUrl, cleanup));
    console.log(`\n${report.text}`);
    return report.passed ? 0 : 1;
  } catch (error) {
    console.error(`bench:web: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await cleanup.runAll();
  }
}

process.exit(await main());
