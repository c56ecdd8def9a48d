import fs from 'node:fs';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError } from '@/lib/backup/errors/errors';
import { collectGarbage, createBackup, deleteBackup, restoreBackup, restoreFromFile, verifyBackup } from '@/lib/backup/service';
import type { TBackupDeps } from '@/lib/backup/service/deps';
import { openSnapshotManifest } from '@/lib/backup/service/open-content';
import { type BackupStorage, chunkIdOf, S3Storage, withRetries } from '@/lib/backup/storage';
import { newManifestName } from '@/lib/backup/storage/file-names';
import { S3RVER_CREDENTIALS, startS3rver, type TS3rverHarness } from '@/lib/backup/storage/testing/s3rver-harness';
import { createTestBackupDeps } from '@/test/backup-deps';
import { insertEdgeValues } from '@/test/edge-values';
import { insertAttendanceHistory, SMALL_CHUNKS } from '@/test/snapshot-fixtures';
import { dumpTables } from '@/test/table-dump';
import { createTestDb, type TTestDb } from '@/test/test-db';

const INCREMENTAL = { kind: 'INCREMENTAL' } as const;
const PREFIX = 'backups/';

/** The data a restore gives back (history and the chunk index are the module's own, never restored). */
async function schoolData(db: TTestDb) {
  const tables = await dumpTables(db.prisma);
  delete tables.BackupChunk;
  return tables;
}

/** Every chunk file in a backup directory, by id. */
function localChunks(backupDir: string): Set<string> {
  const root = path.join(backupDir, 'chunks');
  if (!fs.existsSync(root)) return new Set();
  return new Set(fs.readdirSync(root).flatMap((folder) => fs.readdirSync(path.join(root, folder))));
}

/**
 * A storage that "dies" while deleting chunks: after `deletesAllowed` chunk
 * deletions every further one throws, as a process killed in the middle of gc
 * would leave things (the index row already forgotten, the object still there).
 */
class DyingStorage implements BackupStorage {
  readonly kind;
  chunkDeletes = 0;
  constructor(
    private readonly inner: BackupStorage,
    private readonly deletesAllowed: number,
  ) {
    this.kind = inner.kind;
  }
  describe(key?: string) {
    return this.inner.describe(key);
  }
  put(...args: Parameters<BackupStorage['put']>) {
    return this.inner.put(...args);
  }
  putFile(...args: Parameters<BackupStorage['putFile']>) {
    return this.inner.putFile(...args);
  }
  localPath(key: string) {
    return this.inner.localPath(key);
  }
  get(key: string) {
    return this.inner.get(key);
  }
  stat(key: string) {
    return this.inner.stat(key);
  }
  list(area?: Parameters<BackupStorage['list']>[0]) {
    return this.inner.list(area);
  }
  async delete(key: string) {
    if (chunkIdOf(key)) {
      if (this.chunkDeletes >= this.deletesAllowed) throw new Error('killed in the middle of gc');
      this.chunkDeletes++;
    }
    return this.inner.delete(key);
  }
  isNotFound(error: unknown) {
    return this.inner.isNotFound(error);
  }
}

describe('snapshots on an S3-compatible server (s3rver): chunks and manifest in the bucket, dedup, restore, faults, gc', () => {
  let db: TTestDb;
  let s3: TS3rverHarness;
  let deps: ReturnType<typeof createTestBackupDeps>;
  let client: S3Client;

  const s3Storage = (): BackupStorage =>
    withRetries(
      new S3Storage({
        bucket: s3.bucket,
        region: 'us-east-1',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        prefix: PREFIX,
        partSize: 5 << 20,
        credentials: S3RVER_CREDENTIALS,
      }),
      { attempts: 2, baseDelayMs: 1 },
    );
  const withMode = (mode: 's3' | 'both', storage = s3Storage()): TBackupDeps => ({ ...deps, offsite: { mode, storage } });

  /** Every key in the bucket (whatever the prefix), raw. */
  const bucketKeys = async (): Promise<string[]> => {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket, ContinuationToken: token }));
      keys.push(...(page.Contents ?? []).map((object) => object.Key as string));
      token = page.NextContinuationToken;
    } while (token);
    return keys;
  };
  const bucketChunks = async () =>
    new Set(
      (await bucketKeys()).flatMap((key) => {
        const id = key.startsWith(`${PREFIX}chunks/`) ? chunkIdOf(key.slice(PREFIX.length)) : null;
        return id ? [id] : [];
      }),
    );
  const manifestIds = async (backupId: string, from: TBackupDeps) => {
    const { manifest } = await openSnapshotManifest(await db.prisma.backup.findUniqueOrThrow({ where: { id: backupId } }), from);
    return new Set(manifest.models.flatMap((model) => model.chunks.map((chunk) => chunk.id)));
  };
  /** Every index row claiming an off-site copy whose object is not in the bucket. */
  const indexClaimsMissing = async () => {
    const stored = await bucketChunks();
    const rows = await db.prisma.backupChunk.findMany({ where: { storedOffsite: true }, select: { id: true } });
    return rows.map((row) => row.id).filter((id) => !stored.has(id));
  };
  const rewriteNotes = (tag: string, before: string) =>
    db.prisma.$executeRawUnsafe(`UPDATE "AttendanceRecord" SET note = '${tag} ' || id WHERE date < DATE '${before}'`);

  beforeAll(async () => {
    db = await createTestDb();
    s3 = await startS3rver();
    client = new S3Client({ region: 'us-east-1', endpoint: s3.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    deps = createTestBackupDeps(db, { chunkSizes: SMALL_CHUNKS });
    await insertEdgeValues(db.prisma);
    // 12 000 days of one student's attendance, ~2 MB of rows: a few dozen chunks.
    await insertAttendanceHistory(db.prisma, 12000);
  });
  afterAll(async () => {
    client?.destroy();
    deps.cleanup();
    await s3.dispose();
    await db.close();
  });

  it('s3: manifest and chunks only in the bucket, dedup there, and a restore from s3:// alone on an empty database', async () => {
    const cloud = withMode('s3');
    const first = await createBackup(INCREMENTAL, cloud);
    expect(first).toMatchObject({
      kind: 'INCREMENTAL',
      status: 'COMPLETED',
      location: 'CLOUD',
      objectKey: first.filename,
      chunksReused: 0,
    });
    expect(first.chunksNew).toBeGreaterThan(10);
    expect(fs.readdirSync(deps.backupDir)).toEqual([]);
    const keys = await bucketKeys();
    expect(keys).toContain(`${PREFIX}${first.filename}`);
    expect(
      keys
        .filter((key) => key !== `${PREFIX}${first.filename}`)
        .every((key) => /^backups\/chunks\/([0-9a-f]{2})\/\1[0-9a-f]{62}$/.test(key)),
    ).toBe(true);
    expect((await bucketChunks()).size).toBe(first.chunksNew);

    await db.prisma.$executeRawUnsafe(
      `UPDATE "AttendanceRecord" SET status = 'EXCUSED' WHERE date IN (DATE '1975-03-01', DATE '1990-07-14')`,
    );
    const second = await createBackup(INCREMENTAL, cloud);
    expect(second.chunksNew).toBeGreaterThan(0);
    expect(second.chunksNew).toBeLessThanOrEqual(8);
    expect(second.chunksReused).toBeGreaterThan((first.chunksNew as number) - 8);
    expect((await bucketChunks()).size).toBe((first.chunksNew as number) + (second.chunksNew as number));
    expect(fs.readdirSync(deps.backupDir)).toEqual([]);

    const data = await schoolData(db);
    await db.prisma.$executeRawUnsafe('TRUNCATE "School" CASCADE');
    await db.prisma.backup.deleteMany();
    await db.prisma.backupChunk.deleteMany();
    const result = await restoreFromFile(`s3://${s3.bucket}/${PREFIX}${second.filename}`, { confirm: true }, cloud);
    expect(result.safetyBackupSkipped).toBe('the restored models hold no rows');
    expect(await schoolData(db)).toEqual(data);
    expect(fs.readdirSync(deps.backupDir).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('both: chunks and manifest in both backends; with the local chunks gone, verify and restore fetch them from S3', async () => {
    const both = withMode('both');
    const snapshot = await createBackup(INCREMENTAL, both);
    expect(snapshot).toMatchObject({ status: 'COMPLETED', location: 'BOTH', objectKey: snapshot.filename });
    expect(fs.existsSync(path.join(deps.backupDir, snapshot.filename))).toBe(true);
    expect(await bucketKeys()).toContain(`${PREFIX}${snapshot.filename}`);
    const referenced = await manifestIds(snapshot.id, both);
    const [local, cloud] = [localChunks(deps.backupDir), await bucketChunks()];
    for (const id of referenced) {
      expect(local.has(id)).toBe(true);
      expect(cloud.has(id)).toBe(true);
    }

    const data = await schoolData(db);
    const chunks = path.join(deps.backupDir, 'chunks');
    const aside = `${chunks}.aside`;
    fs.renameSync(chunks, aside);
    try {
      expect((await verifyBackup(snapshot.id, both)).valid).toBe(true);
      await db.prisma.attendanceRecord.deleteMany();
      await restoreBackup(snapshot.id, { confirm: true, safetyBackup: false }, both);
      expect(await schoolData(db)).toEqual(data);
    } finally {
      fs.rmSync(chunks, { recursive: true, force: true });
      fs.renameSync(aside, chunks);
    }
  });

  it('s3: a storage that stops mid-snapshot fails it (STORAGE), leaves no manifest and no index claim of a missing chunk; the next works', async () => {
    const cloud = withMode('s3');
    await rewriteNotes('outage', '1990-01-01');
    const seen = s3.requests.length;
    const creating = createBackup(INCREMENTAL, cloud).catch((error: unknown) => error);
    // Cut the server as soon as the first chunk of this snapshot arrives.
    while (!s3.requests.slice(seen).some((request) => request.method === 'PUT' && request.url.includes('/chunks/')))
      await new Promise((resolve) => setTimeout(resolve, 2));
    await s3.stop();
    const error = await creating;
    await s3.restart();
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe('STORAGE');
    expect((error as BackupError).message).toMatch(/S3/);
    const failed = await db.prisma.backup.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(failed.status).toBe('FAILED');
    expect(await bucketKeys()).not.toContain(`${PREFIX}${failed.filename}`);
    expect(fs.existsSync(path.join(deps.backupDir, failed.filename))).toBe(false);
    expect(await indexClaimsMissing()).toEqual([]);

    const next = await createBackup(INCREMENTAL, cloud);
    expect(next.status).toBe('COMPLETED');
    expect((await verifyBackup(next.id, cloud)).valid).toBe(true);
    expect(await indexClaimsMissing()).toEqual([]);
  });

  it('gc on S3 removes exactly the unique chunks of a deleted snapshot from the bucket', async () => {
    const cloud = withMode('s3');
    await collectGarbage({}, cloud); // what the failed snapshot above left
    const kept = await createBackup(INCREMENTAL, cloud);
    await rewriteNotes('dropped', '1961-06-01');
    const dropped = await createBackup(INCREMENTAL, cloud);
    expect(dropped.chunksNew).toBeGreaterThan(0);
    const [keptIds, droppedIds] = [await manifestIds(kept.id, cloud), await manifestIds(dropped.id, cloud)];
    const before = await bucketChunks();
    await deleteBackup(dropped.id, cloud);
    expect(await bucketKeys()).not.toContain(`${PREFIX}${dropped.filename}`);

    const collected = await collectGarbage({}, cloud);
    expect(collected.chunksDeleted).toBe(dropped.chunksNew);
    const after = await bucketChunks();
    const removed = [...before].filter((id) => !after.has(id));
    expect(removed).toHaveLength(dropped.chunksNew as number);
    for (const id of removed) {
      expect(droppedIds.has(id)).toBe(true);
      expect(keptIds.has(id)).toBe(false);
    }
    expect(await indexClaimsMissing()).toEqual([]);
    expect((await verifyBackup(kept.id, cloud)).valid).toBe(true);
  });

  it('gc killed between deletes never removes a referenced chunk: every snapshot still verifies, and a second gc finishes', async () => {
    const cloud = withMode('s3');
    await rewriteNotes('doomed-a', '1970-01-01');
    const a = await createBackup(INCREMENTAL, cloud);
    await rewriteNotes('doomed-b', '1970-01-01');
    const b = await createBackup(INCREMENTAL, cloud);
    await deleteBackup(a.id, cloud);
    await deleteBackup(b.id, cloud);
    const due = (await collectGarbage({ dryRun: true }, cloud)).chunksDeleted;
    expect(due).toBeGreaterThan(4);

    const dying = new DyingStorage(s3Storage(), 3);
    await expect(collectGarbage({}, withMode('s3', dying))).rejects.toThrow(/killed in the middle of gc/);
    expect(dying.chunkDeletes).toBe(3);
    expect(await indexClaimsMissing()).toEqual([]);
    const completed = await db.prisma.backup.findMany({ where: { kind: 'INCREMENTAL', status: 'COMPLETED' } });
    expect(completed.length).toBeGreaterThan(2);
    for (const row of completed)
      expect({ id: row.id, valid: (await verifyBackup(row.id, cloud)).valid }).toEqual({ id: row.id, valid: true });

    expect((await collectGarbage({}, cloud)).chunksDeleted).toBe(due - 3);
    expect((await collectGarbage({}, cloud)).chunksDeleted).toBe(0);
    expect(await indexClaimsMissing()).toEqual([]);
  });

  it('a manifest that cannot be read makes gc refuse with a clear message and delete nothing', async () => {
    const both = withMode('both');
    const snapshot = await createBackup(INCREMENTAL, both);
    await rewriteNotes('orphaned', '1960-06-01');
    await deleteBackup((await createBackup(INCREMENTAL, both)).id, both);
    expect((await collectGarbage({ dryRun: true }, both)).chunksDeleted).toBeGreaterThan(0);

    const garbage = newManifestName(new Date());
    fs.writeFileSync(path.join(deps.backupDir, garbage), Buffer.from('not a manifest at all, just some bytes'));
    const [local, cloud] = [localChunks(deps.backupDir), await bucketChunks()];
    const indexed = await db.prisma.backupChunk.count();
    try {
      const error = (await collectGarbage({}, both).catch((caught: unknown) => caught)) as BackupError;
      expect(error).toBeInstanceOf(BackupError);
      expect(error.message).toContain(`The snapshot manifest ${garbage} in ${deps.backupDir}`);
      expect(error.message).toMatch(/cannot be read .* nothing was deleted or changed/);
      expect(localChunks(deps.backupDir)).toEqual(local);
      expect(await bucketChunks()).toEqual(cloud);
      expect(await db.prisma.backupChunk.count()).toBe(indexed);
    } finally {
      fs.rmSync(path.join(deps.backupDir, garbage));
    }
    expect((await collectGarbage({}, both)).chunksDeleted).toBeGreaterThan(0);
    expect((await verifyBackup(snapshot.id, both)).valid).toBe(true);
  });

  it('a snapshot taken once off-site storage is configured copies the stored patches and their bases as they are: every snapshot still verifies, the new one from S3 alone', async () => {
    await createBackup(INCREMENTAL, deps);
    await db.prisma.$executeRawUnsafe(`UPDATE "AttendanceRecord" SET note = 'patched locally' WHERE date = DATE '1990-07-14'`);
    const patched = await createBackup(INCREMENTAL, deps);
    const { manifest } = await openSnapshotManifest(await db.prisma.backup.findUniqueOrThrow({ where: { id: patched.id } }), deps);
    // The attendance register's (the module's own history models change with every backup).
    const chained = manifest.models.find((model) => model.name === 'AttendanceRecord')?.chunks.filter((chunk) => chunk.chain) ?? [];
    expect(chained.length).toBeGreaterThan(0);
    const cloudBefore = await bucketChunks();
    expect(chained.some((chunk) => !cloudBefore.has(chunk.id))).toBe(true);

    const both = withMode('both');
    const after = await createBackup(INCREMENTAL, both);
    const cloud = await bucketChunks();
    for (const chunk of chained) for (const object of [...(chunk.chain ?? []), chunk]) expect(cloud.has(object.id)).toBe(true);
    expect((await verifyBackup(patched.id, deps)).valid).toBe(true);
    expect((await verifyBackup(after.id, withMode('s3'))).valid).toBe(true);
    expect(await indexClaimsMissing()).toEqual([]);
  });
});
