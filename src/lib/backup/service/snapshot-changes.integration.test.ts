import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError } from '@/lib/backup/errors/errors';
import { HISTORY_MODELS } from '@/lib/backup/schema/models';
import { collectGarbage, createBackup, deleteBackup, restoreBackup, verifyBackup } from '@/lib/backup/service';
import { openSnapshotManifest } from '@/lib/backup/service/open-content';
import type { TManifestChunk } from '@/lib/backup/snapshot/manifest';
import { chunkKey } from '@/lib/backup/storage';
import { loadEnv } from '@/lib/env';
import type { createTestBackupDeps } from '@/test/backup-deps';
import { closeSnapshotDb, openSnapshotDb } from '@/test/snapshot-fixtures';
import { dumpTables } from '@/test/table-dump';
import { type TTestDb, testEngine } from '@/test/test-db';

const INCREMENTAL = { kind: 'INCREMENTAL' } as const;
const HISTORY_DAYS = 20_000;

/** The data a restore gives back (history and the chunk index are the module's own, never restored). */
async function schoolData(db: TTestDb) {
  const tables = await dumpTables(db.prisma);
  delete tables.BackupChunk;
  for (const name of HISTORY_MODELS) delete tables[name];
  return tables;
}

/** What a snapshot's audit row says it did. */
async function snapshotDetails(db: TTestDb, backupId: string) {
  const row = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'backup.created', targetId: backupId } });
  return row.details as { rowsRead: number; chunksPatched: number };
}

describe('snapshots read only the key ranges that changed, and store changed chunks as patches', () => {
  let db: TTestDb;
  let deps: ReturnType<typeof createTestBackupDeps>;

  beforeAll(async () => {
    ({ db, deps } = await openSnapshotDb(HISTORY_DAYS));
  });
  afterAll(() => closeSnapshotDb(db, deps));

  const manifestOf = async (backupId: string) =>
    (await openSnapshotManifest(await db.prisma.backup.findUniqueOrThrow({ where: { id: backupId } }), deps)).manifest;
  const attendanceChunks = async (backupId: string): Promise<TManifestChunk[]> =>
    (await manifestOf(backupId)).models.find((model) => model.name === 'AttendanceRecord')?.chunks ?? [];
  const createdDetails = (backupId: string) => snapshotDetails(db, backupId);
  /** A full backup's model digests beside the snapshot's: the same rows give the same digests (history models aside). */
  const expectSameDigestsAsFull = async (snapshot: { modelDigests?: unknown }) => {
    const full = await createBackup({}, deps);
    const digests = (backup: { modelDigests?: unknown }) =>
      Object.fromEntries(Object.entries(backup.modelDigests as Record<string, string>).filter(([name]) => !HISTORY_MODELS.has(name)));
    const stored = await db.prisma.backup.findMany({ where: { id: { in: [full.id] } } });
    expect(digests(snapshot)).toEqual(digests(stored[0] as { modelDigests: unknown }));
    await deleteBackup(full.id, deps);
  };
  const rowOf = (id: string) => db.prisma.backup.findUniqueOrThrow({ where: { id } });
  const restoreExactly = async (backupId: string, expected: Awaited<ReturnType<typeof schoolData>>) => {
    await db.prisma.attendanceRecord.deleteMany();
    const restored = await restoreBackup(backupId, { confirm: true, safetyBackup: false }, deps);
    expect(restored.success).toBe(true);
    expect(await schoolData(db)).toEqual(expected);
  };

  it('takes over every chunk unread when nothing changed, and reads one key range again after one row changed', async () => {
    const first = await createBackup(INCREMENTAL, deps);
    expect((await createdDetails(first.id)).rowsRead).toBeGreaterThan(HISTORY_DAYS);
    const chunksBefore = await attendanceChunks(first.id);
    // Every chunk of a model keyed by one column records its first row's key.
    expect(chunksBefore.length).toBeGreaterThan(20);
    expect(chunksBefore.every((chunk) => chunk.first?.length === 1)).toBe(true);

    const unchanged = await createBackup(INCREMENTAL, deps);
    // Only what the module itself wrote since (its Backup and AuditLog rows) is read again.
    expect((await createdDetails(unchanged.id)).rowsRead).toBeLessThan(100);
    expect(await attendanceChunks(unchanged.id)).toEqual(chunksBefore);
    await expectSameDigestsAsFull(await rowOf(unchanged.id));

    // One row in the middle of the history corrected.
    await db.prisma.$executeRawUnsafe(`UPDATE "AttendanceRecord" SET note = 'corrected' WHERE date = DATE '1990-07-14'`);
    const expected = await schoolData(db);
    const corrected = await createBackup(INCREMENTAL, deps);
    const details = await createdDetails(corrected.id);
    // One range of at most SMALL_CHUNKS.maxBytes (256 KiB, ~1 700 rows of ~150 bytes) is read again.
    expect(details.rowsRead).toBeGreaterThan(0);
    expect(details.rowsRead).toBeLessThan(2_000);
    expect(details.chunksPatched).toBe(1);
    const chunksAfter = await attendanceChunks(corrected.id);
    const changed = chunksAfter.filter((chunk, index) => chunk.id !== chunksBefore[index]?.id);
    expect(changed).toHaveLength(1);
    // The changed chunk is a patch against the chunk it replaces: a few hundred bytes, not the chunk again.
    expect(changed[0]?.chain?.map((object) => object.id)).toEqual([chunksBefore[chunksAfter.indexOf(changed[0] as TManifestChunk)]?.id]);
    expect(changed[0]?.stored).toBeLessThan(1_000);
    expect(corrected.storedBytes).toBeLessThan((first.storedBytes as number) / 20);
    await expectSameDigestsAsFull(await rowOf(corrected.id));
    await restoreExactly(corrected.id, expected);
  });

  it('finds deletes, inserts and a delete with an insert in the same range, and restores each snapshot exactly', async () => {
    // The restore above wrote every attendance row anew: the next snapshot reads them all again.
    const afterRestore = await createBackup(INCREMENTAL, deps);
    expect((await createdDetails(afterRestore.id)).rowsRead).toBeGreaterThan(HISTORY_DAYS);
    // The same range: one row deleted and another inserted in its place (the same id), so its row count is unchanged.
    const [gone] = await db.prisma.$queryRawUnsafe<{ id: bigint }[]>(
      `DELETE FROM "AttendanceRecord" WHERE date = DATE '1980-01-01' RETURNING id`,
    );
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "AttendanceRecord" (id, "studentId", "sectionId", date, status, note)
      SELECT ${gone?.id}, "studentId", "sectionId", DATE '1980-01-01', 'ABSENT', 'another row' FROM "AttendanceRecord" WHERE date = DATE '1980-01-02'`);
    // Deleted rows in another range, and a row added after the history (the edge values hold the sequence's last id).
    await db.prisma.$executeRawUnsafe(`DELETE FROM "AttendanceRecord" WHERE date BETWEEN DATE '2001-01-01' AND DATE '2001-01-05'`);
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "AttendanceRecord" (id, "studentId", "sectionId", date, status)
      SELECT (SELECT max(id) + 1 FROM "AttendanceRecord" WHERE note LIKE 'note %'), "studentId", "sectionId", DATE '2026-11-27', 'PRESENT'
        FROM "AttendanceRecord" ORDER BY id LIMIT 1`);
    const expected = await schoolData(db);
    const snapshot = await createBackup(INCREMENTAL, deps);
    expect((await createdDetails(snapshot.id)).rowsRead).toBeLessThan(8_000);
    await expectSameDigestsAsFull(await rowOf(snapshot.id));
    await restoreExactly(snapshot.id, expected);
  });

  it('keeps chains within their limit (then stores the chunk whole), and every snapshot of a month of corrections restores exactly', async () => {
    const maxChain = 4;
    const chained = { ...deps, maxPatchChain: maxChain };
    const states: { id: string; data: Awaited<ReturnType<typeof schoolData>> }[] = [];
    for (let day = 1; day <= maxChain + 3; day++) {
      await db.prisma.$executeRawUnsafe(`UPDATE "AttendanceRecord" SET note = 'day ${day}' WHERE date = DATE '1990-07-14'`);
      const snapshot = await createBackup(INCREMENTAL, chained);
      states.push({ id: snapshot.id, data: await schoolData(db) });
    }
    const lengths = await Promise.all(
      states.map(async ({ id }) => Math.max(...(await attendanceChunks(id)).map((chunk) => chunk.chain?.length ?? 0))),
    );
    expect(Math.max(...lengths)).toBe(maxChain);
    // The chain reached its limit and the chunk was stored whole again (then patched anew).
    expect(lengths.some((length, index) => index > 0 && length < (lengths[index - 1] as number))).toBe(true);
    for (const state of [states[0], states.at(-1)]) if (state) await restoreExactly(state.id, state.data);
  });

  it('gc keeps the objects a chain needs after the snapshots that stored them are deleted; a lost base fails verify naming it', async () => {
    const all = await db.prisma.backup.findMany({ where: { kind: 'INCREMENTAL', status: 'COMPLETED' }, orderBy: { createdAt: 'asc' } });
    const last = all.at(-1);
    if (!last) throw new Error('no snapshot');
    for (const older of all.slice(0, -1)) await deleteBackup(older.id, deps);
    await collectGarbage({}, deps);
    expect(await verifyBackup(last.id, deps)).toMatchObject({ valid: true });
    const chained = (await attendanceChunks(last.id)).find((chunk) => chunk.chain);
    const base = chained?.chain?.[0];
    if (!base) throw new Error('no chained chunk in the last snapshot');
    fs.rmSync(path.join(deps.backupDir, chunkKey(base.id)));
    const failure = await verifyBackup(last.id, deps).catch((error: unknown) => error);
    const message = failure instanceof BackupError ? failure.message : JSON.stringify(failure);
    expect(message).toContain(base.id.slice(0, 12));
  });
});

// Two connections at once: an embedded database has one.
describe.skipIf(testEngine() !== 'postgres')('snapshots and transactions still open when the previous snapshot was taken', () => {
  let db: TTestDb;
  let deps: ReturnType<typeof createTestBackupDeps>;

  beforeAll(async () => {
    ({ db, deps } = await openSnapshotDb(HISTORY_DAYS));
  });
  afterAll(() => closeSnapshotDb(db, deps));

  it('a row written by a transaction that commits after a snapshot is in the next snapshot, though its id is older', async () => {
    const client = new pg.Client({ connectionString: (db.target as { url: string }).url });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`UPDATE "AttendanceRecord" SET note = 'written before, committed after' WHERE date = DATE '1975-03-01'`);
      const first = await createBackup(INCREMENTAL, deps);
      await client.query('COMMIT');
      const expected = await schoolData(db);
      const second = await createBackup(INCREMENTAL, deps);
      expect(second.chunksNew).toBeGreaterThan(0);
      await db.prisma.attendanceRecord.deleteMany();
      await restoreBackup(second.id, { confirm: true, safetyBackup: false }, deps);
      expect(await schoolData(db)).toEqual(expected);
      expect(first.id).not.toBe(second.id);
    } finally {
      await client.end();
    }
  });

  it('reads every row again when the previous snapshot’s own row was written before its horizon, as in a database brought back from elsewhere', async () => {
    await createBackup(INCREMENTAL, deps);
    expect((await snapshotDetails(db, (await createBackup(INCREMENTAL, deps)).id)).rowsRead).toBeLessThan(100);
    const client = new pg.Client({ connectionString: (db.target as { url: string }).url });
    await client.connect();
    try {
      // A transaction that has its id before the snapshot starts, and writes the snapshot's row after it completed.
      await client.query('BEGIN');
      await client.query('SELECT pg_current_xact_id()');
      const previous = await createBackup(INCREMENTAL, deps);
      await client.query('UPDATE "Backup" SET status = status WHERE id = $1', [previous.id]);
      await client.query('COMMIT');
    } finally {
      await client.end();
    }
    const next = await createBackup(INCREMENTAL, deps);
    expect((await snapshotDetails(db, next.id)).rowsRead).toBeGreaterThan(HISTORY_DAYS);
  });

  it('a transaction left open in another database of the cluster does not make the next snapshot read again what the last one saw', async () => {
    const elsewhere = new pg.Client({ connectionString: loadEnv().TEST_DATABASE_URL });
    await elsewhere.connect();
    try {
      await elsewhere.query('BEGIN');
      await elsewhere.query('SELECT pg_current_xact_id()');
      // Every attendance row written anew after that transaction began, then two snapshots while it stays open.
      await db.prisma.$executeRawUnsafe(`UPDATE "AttendanceRecord" SET note = coalesce(note, '') || '.'`);
      expect((await snapshotDetails(db, (await createBackup(INCREMENTAL, deps)).id)).rowsRead).toBeGreaterThan(HISTORY_DAYS);
      expect((await snapshotDetails(db, (await createBackup(INCREMENTAL, deps)).id)).rowsRead).toBeLessThan(100);
    } finally {
      await elsewhere.query('ROLLBACK');
      await elsewhere.end();
    }
  });
});
