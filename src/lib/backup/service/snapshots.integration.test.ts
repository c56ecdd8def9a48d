import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSealedBuffer } from '@/lib/backup/crypto/sealed-buffer';
import { BackupError } from '@/lib/backup/errors/errors';
import {
  collectGarbage,
  createBackup,
  deleteBackup,
  drillBackup,
  openBackupForDownload,
  rebuildChunkIndex,
  restoreBackup,
  restoreFromFile,
  verifyBackup,
} from '@/lib/backup/service';
import { openSnapshotManifest } from '@/lib/backup/service/open-content';
import { createTestBackupDeps } from '@/test/backup-deps';
import { closeSnapshotDb, openSnapshotDb, SMALL_CHUNKS } from '@/test/snapshot-fixtures';
import { dumpTables } from '@/test/table-dump';
import type { TTestDb } from '@/test/test-db';

const INCREMENTAL = { kind: 'INCREMENTAL' } as const;

/** Every stored chunk in a backup directory: id → path. */
function chunkFiles(backupDir: string): Map<string, string> {
  const root = path.join(backupDir, 'chunks');
  const files = new Map<string, string>();
  if (!fs.existsSync(root)) return files;
  for (const folder of fs.readdirSync(root)) {
    for (const name of fs.readdirSync(path.join(root, folder))) files.set(name, path.join(root, folder, name));
  }
  return files;
}

/** The data a restore gives back (history and the chunk index are the module's own, never restored). */
async function schoolData(db: TTestDb) {
  const tables = await dumpTables(db.prisma);
  delete tables.BackupChunk;
  return tables;
}

describe('snapshots: deduplicated chunks and a manifest that each restore on their own', () => {
  let db: TTestDb;
  let deps: ReturnType<typeof createTestBackupDeps>;

  beforeAll(async () => {
    // A school's attendance history: 20 000 days of one student, ~3 MB of rows.
    ({ db, deps } = await openSnapshotDb(20000));
  });
  afterAll(() => closeSnapshotDb(db, deps));

  /** The id of the attendance chunk at `position` in a snapshot's manifest. */
  const attendanceChunk = async (backupId: string, position: number) => {
    const { manifest } = await openSnapshotManifest(await db.prisma.backup.findUniqueOrThrow({ where: { id: backupId } }), deps);
    const chunk = manifest.models.find((model) => model.name === 'AttendanceRecord')?.chunks[position];
    if (!chunk) throw new Error(`no attendance chunk ${position}`);
    return chunk.id;
  };

  it('a first snapshot stores every chunk once; after a school day the next stores only the changed ones, and restores exactly', async () => {
    const first = await createBackup(INCREMENTAL, deps);
    expect(first).toMatchObject({ kind: 'INCREMENTAL', status: 'COMPLETED', location: 'LOCAL', chunksReused: 0 });
    expect(first.filename).toMatch(/^backup-.*\.manifest$/);
    expect(first.chunksNew).toBeGreaterThan(10);
    expect(first.chunksNew).toBe(chunkFiles(deps.backupDir).size);
    expect(first.storedBytes).toBeLessThan(first.logicalBytes as number);

    // A school day: some rows changed, a few deleted, a few added.
    await db.prisma.$executeRawUnsafe(
      `UPDATE "AttendanceRecord" SET status = 'EXCUSED' WHERE date IN (DATE '1975-03-01', DATE '1990-07-14')`,
    );
    await db.prisma.$executeRawUnsafe(`DELETE FROM "AttendanceRecord" WHERE date BETWEEN DATE '2001-01-01' AND DATE '2001-01-05'`);
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "AttendanceRecord" ("studentId", "sectionId", date, status)
      SELECT "studentId", "sectionId", DATE '2026-11-27', 'PRESENT' FROM "AttendanceRecord" ORDER BY id LIMIT 1`);
    const day = await schoolData(db);
    const second = await createBackup(INCREMENTAL, deps);
    // Eight edits in the attendance history. The rows hold random cuids, so where the
    // (small, 64 KiB) chunks fall differs per run, and an edit now and then takes a few
    // chunks before the boundaries fall back in step (chunker.test.ts measures how often):
    // the bound is on the share of the data stored again, not on an exact count.
    expect(second.chunksNew).toBeGreaterThan(0);
    expect(second.chunksNew).toBeLessThan((first.chunksNew as number) / 2);
    expect(second.chunksReused).toBeGreaterThan((first.chunksNew as number) / 2);
    expect(second.storedBytes).toBeLessThan((first.storedBytes as number) / 2);
    expect(chunkFiles(deps.backupDir).size).toBe((first.chunksNew as number) + (second.chunksNew as number));

    await db.prisma.attendanceRecord.deleteMany();
    await db.prisma.payment.deleteMany();
    const restored = await restoreBackup(second.id, { confirm: true, safetyBackup: false }, deps);
    expect(restored.success).toBe(true);
    expect(await schoolData(db)).toEqual(day);

    // The first snapshot needs nothing of the second: it restores the state before the day.
    await restoreBackup(first.id, { confirm: true, safetyBackup: false }, deps);
    expect((await schoolData(db)).AttendanceRecord).toHaveLength(20_000 + 2);
    await restoreBackup(second.id, { confirm: true, safetyBackup: false }, deps);
  });

  it('chunks are sealed under chunks/<2 hex>/<HMAC id>: no plaintext, and the id is not a plain hash of the content', async () => {
    const snapshot = await createBackup(INCREMENTAL, deps);
    const files = chunkFiles(deps.backupDir);
    // Every stored object, whole chunks and patches alike, holds no row in the clear.
    for (const file of files.values()) expect(fs.readFileSync(file).includes(Buffer.from('note '))).toBe(false);
    // A whole chunk (not a patch against another) holds the rows its id names.
    const { manifest } = await openSnapshotManifest(await db.prisma.backup.findUniqueOrThrow({ where: { id: snapshot.id } }), deps);
    const id = manifest.models.flatMap((model) => model.chunks).find((chunk) => !chunk.chain)?.id as string;
    const file = files.get(id) as string;
    expect(path.relative(deps.backupDir, file)).toBe(path.join('chunks', id.slice(0, 2), id));
    const sealed = fs.readFileSync(file);
    const rows = gunzipSync(openSealedBuffer(deps.keyring.current, sealed, 'chunk'));
    expect(rows.toString('utf8')).toMatch(/^\[.*\],\n$/s);
    expect(createHash('sha256').update(rows).digest('hex')).not.toBe(id);
    expect((await verifyBackup(snapshot.id, deps)).valid).toBe(true);
  });

  it('verify, drill and download read a snapshot like a full backup; the download is one standalone file', async () => {
    const snapshot = await createBackup(INCREMENTAL, deps);
    const data = await schoolData(db);
    const verified = await verifyBackup(snapshot.id, deps);
    expect(verified.checks.map((check) => [check.name, check.ok])).toEqual([
      ['file-present', true],
      ['size', true],
      ['checksum', true],
      ['auth-tag', true],
      ['content', true],
      ['row-counts', true],
      ['tables', true],
    ]);
    expect((await drillBackup({ id: snapshot.id }, deps)).status).toBe('OK');

    const download = await openBackupForDownload(snapshot.id, deps);
    expect(download.filename).toBe(snapshot.filename.replace(/\.manifest$/, '.enc'));
    const parts: Buffer[] = [];
    for await (const part of download.stream) parts.push(part as Buffer);
    expect(Buffer.concat(parts).length).toBe(download.size);
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-standalone-'));
    try {
      const file = path.join(elsewhere, download.filename);
      fs.writeFileSync(file, Buffer.concat(parts));
      await db.prisma.attendanceRecord.deleteMany();
      await restoreFromFile(file, { confirm: true, safetyBackup: false }, deps);
      expect(await schoolData(db)).toEqual(data);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
    expect(fs.readdirSync(deps.backupDir).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('restore-file takes a manifest path and finds the chunks beside it, on an empty database', async () => {
    const snapshot = await createBackup(INCREMENTAL, deps);
    const data = await schoolData(db);
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-copied-'));
    try {
      fs.cpSync(path.join(deps.backupDir, snapshot.filename), path.join(copy, snapshot.filename));
      fs.cpSync(path.join(deps.backupDir, 'chunks'), path.join(copy, 'chunks'), { recursive: true });
      await db.prisma.$executeRawUnsafe('TRUNCATE "School" CASCADE');
      const result = await restoreFromFile(path.join(copy, snapshot.filename), { confirm: true }, deps);
      expect(result.safetyBackupSkipped).toBe('the restored models hold no rows');
      expect(await schoolData(db)).toEqual(data);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a missing chunk fails verify and restore before any row changes, naming every snapshot it takes down', async () => {
    const first = await createBackup(INCREMENTAL, deps);
    const second = await createBackup(INCREMENTAL, deps);
    const data = await schoolData(db);
    const id = await attendanceChunk(second.id, 0);
    const file = chunkFiles(deps.backupDir).get(id) as string;
    const moved = `${file}.away`;
    fs.renameSync(file, moved);
    try {
      const verified = await verifyBackup(second.id, deps);
      expect(verified.valid).toBe(false);
      const content = verified.checks.find((check) => check.name === 'content');
      expect(content?.detail).toContain(`chunk ${id.slice(0, 12)}`);
      expect(content?.detail).toContain(first.id);
      expect(content?.detail).toContain(second.id);

      const error = await restoreBackup(second.id, { confirm: true }, deps).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BackupError);
      expect((error as BackupError).code).toBe('FILE_MISSING');
      expect(await schoolData(db)).toEqual(data);
      // Failed before the safety backup: nothing was taken, nothing changed.
      expect(await db.prisma.backup.count({ where: { type: 'PRE_RESTORE', createdAt: { gt: new Date(Date.now() - 60_000) } } })).toBe(0);
    } finally {
      fs.renameSync(moved, file);
    }
  });

  it('a damaged chunk fails the restore inside its transaction: every table stays as it was', async () => {
    const snapshot = await createBackup(INCREMENTAL, deps);
    await db.prisma.payment.deleteMany();
    const data = await schoolData(db);
    const file = chunkFiles(deps.backupDir).get(await attendanceChunk(snapshot.id, 3)) as string;
    const original = fs.readFileSync(file);
    const damaged = Buffer.from(original);
    damaged[damaged.length - 10] = (damaged[damaged.length - 10] ?? 0) ^ 0xff;
    fs.writeFileSync(file, damaged);
    try {
      const error = await restoreBackup(snapshot.id, { confirm: true, safetyBackup: false }, deps).catch((caught: unknown) => caught);
      expect((error as BackupError).code).toBe('AUTH_FAILED');
      expect((error as BackupError).message).toMatch(/chunk [0-9a-f]{12}/);
      expect(await schoolData(db)).toEqual(data);
      expect((await verifyBackup(snapshot.id, deps)).valid).toBe(false);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('gc deletes only the chunks no manifest references; the snapshots left still restore', async () => {
    const kept = await createBackup(INCREMENTAL, deps);
    const data = await schoolData(db);
    await db.prisma.$executeRawUnsafe(`UPDATE "AttendanceRecord" SET note = 'rewritten ' || id WHERE date < DATE '1961-06-01'`);
    const dropped = await createBackup(INCREMENTAL, deps);
    expect(dropped.chunksNew).toBeGreaterThan(0);
    const before = chunkFiles(deps.backupDir);
    await deleteBackup(dropped.id, deps);

    const dry = await collectGarbage({ dryRun: true }, deps);
    expect(dry.chunksDeleted).toBe(dropped.chunksNew);
    expect(chunkFiles(deps.backupDir).size).toBe(before.size);

    const collected = await collectGarbage({}, deps);
    expect(collected.chunksDeleted).toBe(dropped.chunksNew);
    expect(chunkFiles(deps.backupDir).size).toBe(before.size - (dropped.chunksNew as number));
    expect(await db.prisma.backupChunk.count()).toBe(chunkFiles(deps.backupDir).size);
    expect((await collectGarbage({}, deps)).chunksDeleted).toBe(0);

    await db.prisma.attendanceRecord.deleteMany();
    await restoreBackup(kept.id, { confirm: true, safetyBackup: false }, deps);
    expect(await schoolData(db)).toEqual(data);
  });

  it('a crash between storing chunks and the manifest leaves only chunks gc collects; the next snapshot stores them again', async () => {
    await db.prisma.$executeRawUnsafe(`UPDATE "AttendanceRecord" SET note = 'crash ' || id WHERE date < DATE '1960-03-01'`);
    const failing = createTestBackupDeps(db, {
      chunkSizes: SMALL_CHUNKS,
      backupDir: deps.backupDir,
      keyring: deps.keyring,
      onProgress: (progress) => {
        if (progress.phase === 'finishing') throw new Error('killed between the chunks and the manifest');
      },
    });
    await expect(createBackup(INCREMENTAL, failing)).rejects.toThrow(/killed between/);
    const failed = await db.prisma.backup.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(failed.status).toBe('FAILED');
    expect(fs.existsSync(path.join(deps.backupDir, failed.filename))).toBe(false);

    const collected = await collectGarbage({}, deps);
    expect(collected.chunksDeleted).toBeGreaterThan(0);
    const again = await createBackup(INCREMENTAL, deps);
    expect(again.chunksNew).toBe(collected.chunksDeleted);
    expect((await verifyBackup(again.id, deps)).valid).toBe(true);
  });

  it('rebuild-index rebuilds the chunk index from the storage alone', async () => {
    await createBackup(INCREMENTAL, deps);
    const indexed = await db.prisma.backupChunk.findMany({ orderBy: { id: 'asc' } });
    await db.prisma.backupChunk.deleteMany();
    const rebuilt = await rebuildChunkIndex(deps);
    expect(rebuilt).toMatchObject({ chunksIndexed: indexed.length, chunksMissing: 0, chunksUnreferenced: 0 });
    const after = await db.prisma.backupChunk.findMany({ orderBy: { id: 'asc' } });
    const comparable = (rows: typeof indexed) => rows.map(({ createdAt: _createdAt, ...row }) => row);
    expect(comparable(after)).toEqual(comparable(indexed));
  });
});
