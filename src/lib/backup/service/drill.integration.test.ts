import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDecryptStream, sha256File } from '@/lib/backup/crypto/encrypted-file';
import { BackupError } from '@/lib/backup/errors/errors';
import { holdBackup } from '@/lib/backup/lock/backup-hold';
import { createBackup, deleteBackup, drillBackup, type TBackupDeps, type TDrillResult } from '@/lib/backup/service';
import { createDb } from '@/lib/db/client';
import { withPgClient } from '@/lib/db/scratch-database';
import { createTestBackupDeps } from '@/test/backup-deps';
import { writeCraftedBackup } from '@/test/craft-file';
import { insertEdgeValues } from '@/test/edge-values';
import { dumpTables } from '@/test/table-dump';
import { createTestDb, type TTestDb, testEngine } from '@/test/test-db';

/** The decrypted, decompressed document of a backup file. */
async function plaintextOf(filePath: string, deps: TBackupDeps): Promise<string> {
  const chunks: Buffer[] = [];
  await pipeline(await openDecryptStream(filePath, deps.keyring.current), createGunzip(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  return Buffer.concat(chunks).toString('utf8');
}

/** Replaces a backup's file with `document` (encrypted with the test key) and records the new file's size and checksum. */
async function replaceFile(db: TTestDb, deps: TBackupDeps, id: string, document: string): Promise<void> {
  const row = await db.prisma.backup.findUniqueOrThrow({ where: { id } });
  const filePath = path.join(deps.backupDir, row.filename);
  fs.rmSync(filePath);
  await writeCraftedBackup(filePath, deps.keyring.current, document);
  const { size } = await fs.promises.stat(filePath);
  await db.prisma.backup.update({ where: { id }, data: { sha256: await sha256File(filePath), sizeBytes: BigInt(size) } });
}

/** Throwaway databases and directories of this process's drills still present. */
async function leftovers(db: TTestDb, tempDir: string): Promise<string[]> {
  const dirs = fs.readdirSync(tempDir).filter((name) => name.startsWith('erp-drill-'));
  if (db.target.kind !== 'postgres') return dirs;
  const { rows } = await withPgClient(db.target.url, (client) =>
    client.query<{ name: string }>('SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1)', [`erp_drill_${process.pid}_`]),
  );
  return [...dirs, ...rows.map((row) => row.name)];
}

describe('restore drills', () => {
  let db: TTestDb;
  let deps: ReturnType<typeof createTestBackupDeps>;
  let tempDir: string;
  const alerts: unknown[] = [];

  beforeAll(async () => {
    db = await createTestDb();
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-test-'));
    deps = createTestBackupDeps(db, { drill: { tempDir }, alert: async (event) => void alerts.push(event) });
    await insertEdgeValues(db.prisma);
  });
  afterAll(async () => {
    deps.cleanup();
    fs.rmSync(tempDir, { recursive: true, force: true });
    await db.close();
  });

  it('restores the newest backup into a throwaway database and proves every model, leaving the live data alone', async () => {
    const backup = await createBackup({}, deps);
    const recorded = await db.prisma.backup.findUniqueOrThrow({ where: { id: backup.id } });
    expect(Object.keys(recorded.modelDigests as Record<string, string>).sort()).toEqual([...recorded.models].sort());
    const before = await dumpTables(db.prisma);

    const result = await drillBackup({}, deps);

    expect(result).toMatchObject({ status: 'OK', backupId: backup.id, digests: 'checked' });
    expect(result.firstDifference).toBeUndefined();
    expect(result.models.map((model) => model.name).sort()).toEqual([...recorded.models].sort());
    for (const model of result.models) {
      expect(model.digestMatches, model.name).toBe(true);
      expect(model.rows, model.name).toBe(model.expectedRows);
    }
    expect(result.models.find((model) => model.name === 'School')?.rows).toBe(1);
    expect(result.database).toMatch(db.engine === 'postgres' ? /^PostgreSQL .*\/erp_drill_\d+_[0-9a-f]+$/ : /embedded PostgreSQL/);
    expect(await dumpTables(db.prisma)).toEqual(before);
    expect(await leftovers(db, tempDir)).toEqual([]);
    const row = await db.prisma.backup.findUniqueOrThrow({ where: { id: backup.id } });
    expect(row.lastDrillStatus).toBe('OK');
    expect(row.lastDrillAt).toBeInstanceOf(Date);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { action: 'backup.drilled', targetId: backup.id } });
    expect(audit.outcome).toBe('SUCCESS');
    expect(alerts).toEqual([]);
  });

  it('fails a backup whose rows were changed in the file, naming the model, and alerts', async () => {
    const backup = await createBackup({}, deps);
    const text = await plaintextOf(path.join(deps.backupDir, backup.filename), deps);
    const lines = text.split('\n');
    const at = lines.indexOf('{"model":"School","rows":[') + 1;
    const line = lines[at] ?? '';
    const comma = line.endsWith(',');
    const schoolRow = JSON.parse(comma ? line.slice(0, -1) : line) as (string | null)[];
    lines[at] = JSON.stringify(schoolRow.map((value) => (value === 'EDGE' ? 'EDGF' : value))) + (comma ? ',' : '');
    expect(lines[at]).not.toBe(line);
    await replaceFile(db, deps, backup.id, lines.join('\n'));

    const result = await drillBackup({ id: backup.id }, deps);

    expect(result.status).toBe('FAILED');
    expect(result.firstDifference?.model).toBe('School');
    expect(result.firstDifference?.reason).toMatch(/School's restored rows differ .*content digest/);
    expect(result.models.find((model) => model.name === 'School')).toEqual({
      name: 'School',
      rows: 1,
      expectedRows: 1,
      digestMatches: false,
    });
    expect(result.models.filter((model) => model.digestMatches !== true).map((model) => model.name)).toEqual(['School']);
    const row = await db.prisma.backup.findUniqueOrThrow({ where: { id: backup.id } });
    expect(row.lastDrillStatus).toBe('FAILED');
    expect(row.lastDrillError).toMatch(/School/);
    expect(alerts).toEqual([expect.objectContaining({ event: 'drill.failed', severity: 'critical', backupId: backup.id })]);
    expect(await leftovers(db, tempDir)).toEqual([]);
    alerts.length = 0;
  });

  it('fails a backup whose recorded row count differs from what restores', async () => {
    const backup = await createBackup({}, deps);
    const row = await db.prisma.backup.findUniqueOrThrow({ where: { id: backup.id } });
    const counts = row.rowCounts as Record<string, number>;
    await db.prisma.backup.update({ where: { id: backup.id }, data: { rowCounts: { ...counts, Staff: (counts.Staff ?? 0) + 1 } } });

    const result = await drillBackup({ id: backup.id }, deps);

    expect(result.status).toBe('FAILED');
    expect(result.firstDifference).toEqual({
      model: 'Staff',
      reason: `Staff restored ${counts.Staff} rows; the backup recorded ${(counts.Staff ?? 0) + 1}`,
    });
    alerts.length = 0;
  });

  it('drills a file made before digests on row counts, and says so', async () => {
    const backup = await createBackup({}, deps);
    const text = await plaintextOf(path.join(deps.backupDir, backup.filename), deps);
    const version2 = text.replace('"version":3,', '"version":2,').replace(/\],"digest":"[0-9a-f]{64}"\}/g, ']}');
    expect(version2).not.toMatch(/"digest"/);
    await replaceFile(db, deps, backup.id, version2);
    await db.prisma.backup.update({ where: { id: backup.id }, data: { modelDigests: undefined, formatVersion: 2 } });
    await db.prisma.$executeRawUnsafe(`UPDATE "Backup" SET "modelDigests" = NULL WHERE id = $1`, backup.id);

    const result = await drillBackup({ id: backup.id }, deps);

    expect(result).toMatchObject({ status: 'OK', digests: 'not recorded' });
    expect(result.models.every((model) => model.digestMatches === null && model.rows === model.expectedRows)).toBe(true);
  });

  it('fails a backup whose file was damaged after it was made', async () => {
    const backup = await createBackup({}, deps);
    const filePath = path.join(deps.backupDir, backup.filename);
    const bytes = fs.readFileSync(filePath);
    bytes[bytes.length - 5] = (bytes[bytes.length - 5] ?? 0) ^ 0xff;
    fs.writeFileSync(filePath, bytes);

    const result = await drillBackup({ id: backup.id }, deps);

    expect(result.status).toBe('FAILED');
    expect(result.firstDifference).toEqual({ model: null, reason: expect.stringMatching(/checksum/) });
    alerts.length = 0;
  });

  it('holds its backup: no delete or restore of it meanwhile, and no drill of a backup being deleted', async () => {
    const backup = await createBackup({}, deps);
    const drilling = await holdBackup(db.database, backup.id, 'shared');
    const refused = await deleteBackup(backup.id, deps).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(BackupError);
    expect((refused as BackupError).code).toBe('BUSY');
    expect((refused as BackupError).message).toMatch(/restore drill is reading backup/);
    await drilling.release();

    const deleting = await holdBackup(db.database, backup.id, 'exclusive');
    const busy = await drillBackup({ id: backup.id }, deps).then(
      (result: TDrillResult) => result,
      (error: unknown) => error,
    );
    expect((busy as BackupError).code).toBe('BUSY');
    await deleting.release();
    expect((await deleteBackup(backup.id, deps)).id).toBe(backup.id);
  });

  // On PostgreSQL only: a role that may not create databases drills into an embedded PostgreSQL instead.
  if (testEngine() === 'postgres') {
    it('drills a PostgreSQL backup into an embedded database when the role may not create databases', async () => {
      if (db.target.kind !== 'postgres') throw new Error('PostgreSQL only');
      const role = `erp_drill_test_${process.pid}`;
      const liveUrl = db.target.url;
      await db.prisma.$executeRawUnsafe(`CREATE ROLE "${role}" LOGIN NOCREATEDB`);
      await db.prisma.$executeRawUnsafe(`GRANT ALL ON ALL TABLES IN SCHEMA public TO "${role}"`);
      await db.prisma.$executeRawUnsafe(`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO "${role}"`);
      const url = new URL(liveUrl);
      url.username = role;
      const restricted = await createDb({ kind: 'postgres', url: url.toString() });
      try {
        const backup = await createBackup({}, deps);
        const result = await drillBackup({ id: backup.id }, { ...deps, db: restricted });
        expect(result).toMatchObject({ status: 'OK', digests: 'checked', database: expect.stringMatching(/^an embedded PostgreSQL in /) });
        expect(result.models.every((model) => model.digestMatches === true)).toBe(true);
        expect(await leftovers(db, tempDir)).toEqual([]);
      } finally {
        await restricted.close();
        await withPgClient(liveUrl, async (client) => {
          await client.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM "${role}"`);
          await client.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM "${role}"`);
          await client.query(`DROP ROLE "${role}"`);
        });
      }
    });
  }
});
