import { createKeyring } from '@/lib/backup/crypto/keys';
import { createBackup, drillBackup, restoreFromFile, type TBackupDeps } from '@/lib/backup/service';
import { createDb } from '@/lib/db/client';
import type { TChildJob, TChildResult, TChildSuccess } from './protocol';
import { startSampler } from './sampler';

/**
 * A measuring child of the bench: opens the database, runs one create or
 * restore, and reports its wall time and this process's peak memory over
 * IPC. Running it apart from the seeding parent keeps the seed's memory out
 * of the figure. Exits when the parent goes away.
 */

type TOutcome = Pick<TChildSuccess, 'rows' | 'file' | 'sizeBytes' | 'storedBytes' | 'chunksNew' | 'chunksReused'>;

const NO_CHUNKS = { storedBytes: null, chunksNew: null, chunksReused: null };

async function operate(job: TChildJob, deps: TBackupDeps): Promise<TOutcome> {
  if (job.op === 'create') {
    const summary = await createBackup(job.kind ? { kind: job.kind } : {}, deps);
    return {
      rows: summary.totalRows ?? 0,
      file: `${job.backupDir}/${summary.filename}`,
      sizeBytes: summary.sizeBytes,
      storedBytes: summary.storedBytes,
      chunksNew: summary.chunksNew,
      chunksReused: summary.chunksReused,
    };
  }
  if (job.op === 'drill') {
    const drill = await drillBackup({}, deps);
    if (drill.status !== 'OK') throw new Error(`The drill FAILED: ${JSON.stringify(drill.firstDifference)}`);
    return { rows: drill.models.reduce((sum, model) => sum + model.rows, 0), file: null, sizeBytes: null, ...NO_CHUNKS };
  }
  const result = await restoreFromFile(job.file, { confirm: true, safetyBackup: job.safetyBackup ?? false }, deps);
  return { rows: result.recordsRestored, file: null, sizeBytes: null, ...NO_CHUNKS };
}

async function run(job: TChildJob): Promise<TChildSuccess> {
  const db = await createDb(job.target);
  try {
    const deps: TBackupDeps = {
      db,
      backupDir: job.backupDir,
      keyring: createKeyring(job.keyHex),
      audit: { actorId: null },
      ...(job.op === 'create' && job.workers ? { workers: job.workers } : {}),
      ...(job.op === 'create' && job.chunkSizes ? { chunkSizes: job.chunkSizes } : {}),
    };
    // Loads Prisma's query compiler and opens a connection, so the baseline holds the fixed cost of talking to the database.
    await db.prisma.backup.count();
    const baselineRss = process.memoryUsage.rss();
    const sampler = startSampler();
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const outcome = await operate(job, deps).finally(() => sampler.stop());
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const samples = sampler.stop();
    // getrusage reports maxrss in kilobytes on Linux.
    const peakRss = process.resourceUsage().maxRSS * 1024;
    return {
      ok: true,
      op: job.op,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      ...outcome,
      memory: { peakRss, baselineRss, ...samples.memory },
      phases: samples.phases,
      models: samples.models,
    };
  } finally {
    // Closing flushes an embedded database to disk before the parent reopens it.
    await db.close();
  }
}

process.once('disconnect', () => process.exit(1));
process.once('message', (job: TChildJob) => {
  run(job)
    .catch(
      (error: unknown): TChildResult => ({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    )
    .then((result) => process.send?.(result, () => process.exit(result.ok ? 0 : 1)));
});
