import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKeyring } from '@/lib/backup/crypto/keys';
import { applyMigrations } from '@/lib/db/migrate';
import { loadEnv } from '@/lib/env';
import { loadEnvFiles } from '@/lib/env-files';
import { seedDatabase } from '@/lib/seed';
import { BENCH_USAGE, parseBenchArgs, type TBenchArgs } from './bench/args';
import { cleanupOnSignals, createCleanup, type TCleanup } from './bench/cleanup';
import { compareDigests, digestRows, digestTables, type TTableDigests } from './bench/digest';
import { PG_RESTORE_MODE, pgToolsAvailable, timePgDump, timePgRestore } from './bench/pg-tools';
import { measurePlaintext } from './bench/plaintext-size';
import type { TChildSuccess } from './bench/protocol';
import { createsTable, detailsTable, resultsTable, type TRunFigures, targetVerdicts } from './bench/report';
import { runChild } from './bench/run-child';
import { createScratchTarget, type TScratchTarget } from './bench/scratch-target';
import { diskLine, snapshotTable, snapshotTargetVerdicts } from './bench/snapshot-report';
import { measureSnapshots, type TSnapshotFigures } from './bench/snapshot-run';
import { withDb } from './bench/with-db';
import { ensureCliBuilt } from './build-cli.mjs';

// `npm run bench -- --scale N[,N…] [--runs R] [--workers W[,W…]] [--skip-pg-dump] [--cpu-prof DIR]`:
// seeds a scratch database, then times the backup engine's create and
// restore (each in its own child process, for a clean peak-RSS figure),
// checks the restore was exact, and compares with pg_dump / pg_restore.
// `npm run bench -- --snapshots [--days N] [--scale N]`: issue 14's snapshot
// run instead (a full create, a first snapshot, N school days each followed
// by a snapshot, a restore of the last one).

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

/** Migrates and seeds the scratch database; returns the server's version. */
async function prepare(scratch: TScratchTarget, scale: number, cleanup: TCleanup): Promise<string> {
  return withDb(scratch.target, cleanup, async (db) => {
    await applyMigrations(db.database.adapterFactory);
    console.log(`Seeding ${scale} school(s)...`);
    const report = await seedDatabase(db.prisma, {
      scale,
      onProgress: ({ school, schools, rows }) => {
        if (school % 10 === 0 || school === schools) console.log(`  school ${school}/${schools}, ${rows.toLocaleString('en-US')} rows`);
      },
    });
    console.log(
      `Seed: ${report.totalRows.toLocaleString('en-US')} rows in ${seconds(report.durationMs)} (${report.rowsPerSecond.toLocaleString('en-US')} rows/s)`,
    );
    const [row] = await db.prisma.$queryRawUnsafe<{ version: string }[]>(`SELECT current_setting('server_version') AS version`);
    return row?.version ?? 'unknown';
  });
}

async function digest(scratch: TScratchTarget, cleanup: TCleanup, when: string): Promise<TTableDigests> {
  const started = performance.now();
  const digests = await withDb(scratch.target, cleanup, (db) => digestTables(db.prisma));
  console.log(
    `  digest ${when}: ${digests.size} tables, ${digestRows(digests).toLocaleString('en-US')} rows in ${seconds(performance.now() - started)}`,
  );
  return digests;
}

/** One create + restore round, verified, and the pg_dump / pg_restore comparison when possible. */
async function measureRun(
  run: number,
  scratch: TScratchTarget,
  args: TBenchArgs,
  scale: number,
  workDir: string,
  cleanup: TCleanup,
): Promise<TRunFigures> {
  console.log(`\nRun ${run}/${args.runs}`);
  const keyHex = randomBytes(32).toString('hex');
  const job = { target: scratch.target, keyHex, backupDir: path.join(workDir, 'backups') };
  const before = await digest(scratch, cleanup, 'before');

  // One create per worker count asked for; the restore reads the first one's file.
  const creates: TRunFigures['creates'] = [];
  for (const workers of args.workers.length > 0 ? args.workers : [null]) {
    const made = await runChild({ ...job, op: 'create', ...(workers ? { workers } : {}) }, cleanup, args.cpuProfDir);
    console.log(
      `  create${workers ? ` (${workers} worker${workers > 1 ? 's' : ''})` : ''}: ${made.rows.toLocaleString('en-US')} rows, ${((made.sizeBytes ?? 0) / 2 ** 20).toFixed(1)} MiB in ${seconds(made.wallMs)}, peak RSS ${(made.memory.peakRss / 2 ** 20).toFixed(1)} MiB`,
    );
    if (creates.length > 0) fs.rmSync(made.file as string, { force: true });
    creates.push({ workers, create: made });
  }
  const create = (creates[0] as TRunFigures['creates'][number]).create;
  const file = create.file as string;
  const plaintext = await measurePlaintext(file, createKeyring(keyHex).current);
  console.log(`  decode (decrypt + gunzip only): ${(plaintext.bytes / 2 ** 20).toFixed(1)} MiB of JSON in ${seconds(plaintext.decodeMs)}`);

  if (args.drill) {
    // The newest COMPLETED backup: the one just made.
    const drill = await runChild({ ...job, op: 'drill' }, cleanup, args.cpuProfDir);
    console.log(
      `  drill: ${drill.rows.toLocaleString('en-US')} rows restored into a throwaway database and proved in ${seconds(drill.wallMs)} (peak RSS ${(drill.memory.peakRss / 2 ** 20).toFixed(1)} MiB)`,
    );
  }
  const restore = await runChild({ ...job, op: 'restore', file }, cleanup, args.cpuProfDir);
  console.log(`  restore: ${restore.rows.toLocaleString('en-US')} rows in ${seconds(restore.wallMs)}`);
  const problems = compareDigests(before, await digest(scratch, cleanup, 'after restore'));
  console.log(problems.length === 0 ? '  exact: OK' : `  exact: MISMATCH\n${problems.map((p) => `    ${p}`).join('\n')}`);
  let restoreWithSafety: TChildSuccess | null = null;
  if (problems.length === 0) {
    restoreWithSafety = await runChild({ ...job, op: 'restore', file, safetyBackup: true }, cleanup, args.cpuProfDir);
    console.log(
      `  restore with its safety backup: ${restoreWithSafety.rows.toLocaleString('en-US')} rows in ${seconds(restoreWithSafety.wallMs)}`,
    );
    problems.push(...compareDigests(before, await digest(scratch, cleanup, 'after the restore with its safety backup')));
    if (problems.length > 0) console.log(`  exact: MISMATCH\n${problems.map((p) => `    ${p}`).join('\n')}`);
  }
  fs.rmSync(file, { force: true });

  let pg: TRunFigures['pg'] = null;
  if (scratch.postgresUrl && !args.skipPgDump && pgToolsAvailable() && problems.length === 0) {
    const dumpFile = path.join(workDir, `run-${run}.pgdump`);
    const dump = await timePgDump(scratch.postgresUrl, dumpFile);
    console.log(`  pg_dump -Fc: ${(dump.sizeBytes / 2 ** 20).toFixed(1)} MiB in ${seconds(dump.wallMs)}`);
    const restoreMs = await timePgRestore(scratch.postgresUrl, dumpFile);
    console.log(`  pg_restore: ${seconds(restoreMs)}`);
    fs.rmSync(dumpFile, { force: true });
    pg = { dumpMs: dump.wallMs, dumpBytes: dump.sizeBytes, restoreMs };
  }
  return {
    run,
    engine: scratch.engine === 'postgres' ? 'PostgreSQL' : 'PGlite',
    scale,
    create,
    creates,
    restore,
    restoreWithSafety,
    plaintextBytes: plaintext.bytes,
    verified: problems.length === 0,
    pg,
  };
}

async function bench(args: TBenchArgs, adminUrl: string | undefined, cleanup: TCleanup): Promise<number> {
  if (args.cpuProfDir) fs.mkdirSync(args.cpuProfDir, { recursive: true });
  console.log(`Machine: ${machine()}`);
  // A stale bundle would run the codec workers from source through tsx, timing their start-up instead of the backup.
  const rebuilt = await ensureCliBuilt();
  if (rebuilt) console.log(`Built the CLI bundle and codec worker first (${rebuilt}).`);
  if (args.snapshotDays !== null) return benchSnapshots(args, args.snapshotDays, adminUrl, cleanup);
  const runs: TRunFigures[] = [];
  for (const scale of args.scales) {
    const scaleRuns = await benchScale(args, scale, adminUrl, cleanup);
    runs.push(...scaleRuns);
    if (!scaleRuns.every((r) => r.verified)) break;
  }
  console.log('\n## Targets\n');
  for (const line of targetVerdicts(runs)) console.log(line);
  if (args.cpuProfDir) console.log(`CPU profiles in ${path.resolve(args.cpuProfDir)}`);
  return runs.every((r) => r.verified) ? 0 : 1;
}

const loadLine = () =>
  `Load average (1, 5, 15 min) at the end: ${os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(', ')} on ${os.cpus().length} cores.`;

/** Issue 14: per scale, a seeded scratch database, its snapshot run, its tables; then the targets. */
async function benchSnapshots(args: TBenchArgs, days: number, adminUrl: string | undefined, cleanup: TCleanup): Promise<number> {
  const runs: TSnapshotFigures[] = [];
  for (const scale of args.scales) {
    const scratch = await createScratchTarget(adminUrl, cleanup);
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-bench-'));
    cleanup.defer(`remove ${workDir}`, () => fs.rmSync(workDir, { recursive: true, force: true }));
    console.log(`Database: ${scratch.label}`);
    const version = await prepare(scratch, scale, cleanup);
    const figures = await measureSnapshots(
      scratch,
      days,
      { workers: args.workers[0] ?? null, chunkKib: args.chunkKib, dayFocus: args.dayFocus },
      scale,
      workDir,
      cleanup,
      args.cpuProfDir,
    );
    runs.push(figures);
    const engine =
      scratch.engine === 'postgres' ? `PostgreSQL ${version} server` : `PGlite (PostgreSQL ${version}) in the measuring process`;
    console.log(
      `\n## Snapshots: ${engine}, scale ${scale}, ${days} school days (changes ${args.dayFocus}), workers ${figures.workers ?? 'default'}, chunks ${figures.chunkKib ? `${figures.chunkKib} KiB` : "1 MiB (the format's)"} on average\n`,
    );
    console.log(snapshotTable(figures));
    console.log(`\n${diskLine(figures)}`);
    console.log(loadLine());
    if (figures.problems.length > 0) break;
  }
  console.log('\n## Targets\n');
  for (const line of snapshotTargetVerdicts(runs)) console.log(line);
  if (args.cpuProfDir) console.log(`CPU profiles in ${path.resolve(args.cpuProfDir)}`);
  return runs.every((r) => r.problems.length === 0) ? 0 : 1;
}

/** Seeds a scratch database of `scale` schools and measures its runs. */
async function benchScale(args: TBenchArgs, scale: number, adminUrl: string | undefined, cleanup: TCleanup): Promise<TRunFigures[]> {
  const scratch = await createScratchTarget(adminUrl, cleanup);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-bench-'));
  cleanup.defer(`remove ${workDir}`, () => fs.rmSync(workDir, { recursive: true, force: true }));
  console.log(`Database: ${scratch.label}`);
  const version = await prepare(scratch, scale, cleanup);

  const runs: TRunFigures[] = [];
  for (let run = 1; run <= args.runs; run++) {
    const figures = await measureRun(run, scratch, args, scale, workDir, cleanup);
    runs.push(figures);
    if (!figures.verified) break;
  }

  const engine = scratch.engine === 'postgres' ? `PostgreSQL ${version} server` : `PGlite (PostgreSQL ${version}) in the measuring process`;
  console.log(`\n## ${engine}, scale ${scale}\n`);
  console.log(resultsTable(runs));
  console.log(`\n${createsTable(runs)}`);
  console.log(`\n${detailsTable(runs)}\n`);
  if (runs.some((r) => r.pg)) console.log(`pg_restore comparison: ${PG_RESTORE_MODE}.`);
  else if (scratch.engine === 'pglite') {
    console.log('pg_dump / pg_restore: not run (they need a PostgreSQL server).');
    console.log(
      'PGlite runs inside the measuring process: its RSS includes the embedded database (its WebAssembly memory shows as external).',
    );
  } else console.log('pg_dump / pg_restore: not run (--skip-pg-dump, not installed, or the restore did not verify).');
  console.log(loadLine());
  return runs;
}

loadEnvFiles();
const parsed = parseBenchArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(BENCH_USAGE);
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(`bench: ${parsed.message}\n\n${BENCH_USAGE}`);
  process.exit(2);
}
const cleanup = createCleanup();
cleanupOnSignals(cleanup);
let exitCode = 1;
try {
  exitCode = await bench(parsed.args, loadEnv().BENCH_DATABASE_URL, cleanup);
} catch (error) {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
} finally {
  await cleanup.runAll();
}
// Pooled connections would otherwise keep the process alive for their idle timeout.
process.exit(exitCode);
