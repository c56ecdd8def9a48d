import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_SEED } from '@/lib/seed';
import type { TCleanup } from './cleanup';
import { compareDigests, digestTables } from './digest';
import type { TChildJob, TChildSuccess } from './protocol';
import { runChild } from './run-child';
import { applySchoolDay, deleteSchoolDayRegister, planSchoolDays, type TDayFocus, type TSchoolDayCounts } from './school-day';
import type { TScratchTarget } from './scratch-target';
import { withDb } from './with-db';

/** One simulated school day and the snapshot taken after it. */
export interface TSnapshotDay {
  day: number;
  change: TSchoolDayCounts;
  /** Time to apply the day's changes (in the parent, not part of any target). */
  applyMs: number;
  snapshot: TChildSuccess;
}

/** What the storage directory holds at the end: the snapshots' real footprint. */
export interface TSnapshotDisk {
  chunkFiles: number;
  chunkBytes: number;
  manifests: number;
  manifestBytes: number;
}

/** Everything measured by one `--snapshots` run at one scale. */
export interface TSnapshotFigures {
  engine: 'PostgreSQL' | 'PGlite';
  scale: number;
  workers: number | null;
  /** Average chunk size asked for, in KiB; null: the format's. */
  chunkKib: number | null;
  full: TChildSuccess;
  first: TChildSuccess;
  days: TSnapshotDay[];
  restore: TChildSuccess;
  /** Tables whose digest differs between before the wreck and after the restore (empty: exact). */
  problems: string[];
  disk: TSnapshotDisk;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (bytes: number | null) => `${((bytes ?? 0) / 2 ** 20).toFixed(2)} MiB`;

/** Sizes of the chunk files under `chunks/` and of the manifests beside it. */
function measureDisk(backupDir: string): TSnapshotDisk {
  const disk: TSnapshotDisk = { chunkFiles: 0, chunkBytes: 0, manifests: 0, manifestBytes: 0 };
  const chunks = path.join(backupDir, 'chunks');
  for (const entry of fs.readdirSync(chunks, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    disk.chunkFiles++;
    disk.chunkBytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  for (const name of fs.readdirSync(backupDir)) {
    if (!name.endsWith('.manifest')) continue;
    disk.manifests++;
    disk.manifestBytes += fs.statSync(path.join(backupDir, name)).size;
  }
  return disk;
}

function describeSnapshot(label: string, made: TChildSuccess): string {
  return `  ${label}: stored ${mib(made.storedBytes)} (${made.chunksNew} new chunks, ${made.chunksReused} reused) in ${seconds(made.wallMs)}, peak RSS ${mib(made.memory.peakRss)} (heap ${mib(made.memory.peakHeapUsed)}, external ${mib(made.memory.peakExternal)})`;
}

/**
 * Issue 14's run on a seeded scratch database: a full create, a first
 * snapshot, then `days` school days each followed by a snapshot (each
 * operation in its own child process), then the day's register deleted and
 * the last snapshot restored, checked against digests taken before.
 */
export async function measureSnapshots(
  scratch: TScratchTarget,
  days: number,
  options: { workers: number | null; chunkKib: number | null; dayFocus: TDayFocus },
  scale: number,
  workDir: string,
  cleanup: TCleanup,
  cpuProfDir?: string,
): Promise<TSnapshotFigures> {
  const job = { target: scratch.target, keyHex: randomBytes(32).toString('hex'), backupDir: path.join(workDir, 'backups') };
  const { workers, chunkKib } = options;
  const chunkSizes = chunkKib ? { minBytes: chunkKib * 256, avgBytes: chunkKib * 1024, maxBytes: chunkKib * 4096 } : null;
  const create = (kind: 'FULL' | 'INCREMENTAL'): TChildJob => ({
    ...job,
    op: 'create',
    kind,
    ...(workers ? { workers } : {}),
    ...(kind === 'INCREMENTAL' && chunkSizes ? { chunkSizes } : {}),
  });

  console.log('\nSnapshots');
  const full = await runChild(create('FULL'), cleanup, cpuProfDir);
  console.log(
    `  full create: ${full.rows.toLocaleString('en-US')} rows, ${mib(full.sizeBytes)} in ${seconds(full.wallMs)}, peak RSS ${mib(full.memory.peakRss)}`,
  );
  // Only its size matters from here on; the directory is left to the snapshots.
  fs.rmSync(full.file as string, { force: true });
  const first = await runChild(create('INCREMENTAL'), cleanup, cpuProfDir);
  console.log(describeSnapshot('first snapshot', first));

  const plan = await withDb(scratch.target, cleanup, (db) => planSchoolDays(db.prisma, DEFAULT_SEED, options.dayFocus));
  const measured: TSnapshotDay[] = [];
  for (let day = 1; day <= days; day++) {
    const started = performance.now();
    const change = await withDb(scratch.target, cleanup, (db) => applySchoolDay(db.prisma, plan, day));
    const applyMs = performance.now() - started;
    const snapshot = await runChild(create('INCREMENTAL'), cleanup, cpuProfDir);
    console.log(
      `${describeSnapshot(`day ${day}`, snapshot)}; the day: ${change.inserted} inserted, ${change.updated} updated, ${change.deleted} deleted in ${seconds(applyMs)}`,
    );
    measured.push({ day, change, applyMs, snapshot });
  }
  const disk = measureDisk(job.backupDir);

  const last = (measured.at(-1)?.snapshot ?? first).file as string;
  const before = await withDb(scratch.target, cleanup, (db) => digestTables(db.prisma));
  const wrecked = await withDb(scratch.target, cleanup, (db) => deleteSchoolDayRegister(db.prisma, plan, days));
  console.log(`  wreck: deleted day ${days}'s register (${wrecked.toLocaleString('en-US')} attendance rows)`);
  const restore = await runChild({ ...job, op: 'restore', file: last }, cleanup, cpuProfDir);
  const problems = compareDigests(before, await withDb(scratch.target, cleanup, (db) => digestTables(db.prisma)));
  console.log(
    `  restore of the last snapshot: ${restore.rows.toLocaleString('en-US')} rows in ${seconds(restore.wallMs)}, peak RSS ${mib(restore.memory.peakRss)}`,
  );
  console.log(problems.length === 0 ? '  exact: OK' : `  exact: MISMATCH\n${problems.map((p) => `    ${p}`).join('\n')}`);
  return {
    engine: scratch.engine === 'postgres' ? 'PostgreSQL' : 'PGlite',
    scale,
    workers,
    chunkKib,
    full,
    first,
    days: measured,
    restore,
    problems,
    disk,
  };
}
