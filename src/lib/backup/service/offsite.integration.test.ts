import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOpenIncidents } from '@/lib/backup/alerts/incidents';
import { createAlertRaiser } from '@/lib/backup/alerts/raise-alert';
import { BackupError } from '@/lib/backup/errors/errors';
import {
  createBackup,
  deleteBackup,
  listBackups,
  openBackupForDownload,
  restoreBackup,
  restoreFromFile,
  syncUploads,
  verifyBackup,
} from '@/lib/backup/service';
import type { TBackupDeps } from '@/lib/backup/service/deps';
import { S3Storage, withRetries } from '@/lib/backup/storage';
import { S3RVER_CREDENTIALS, startS3rver, type TS3rverHarness } from '@/lib/backup/storage/testing/s3rver-harness';
import { createTestBackupDeps } from '@/test/backup-deps';
import { insertEdgeValues } from '@/test/edge-values';
import { dumpTables } from '@/test/table-dump';
import { createTestDb, type TTestDb } from '@/test/test-db';

const MiB = 1024 * 1024;

describe('off-site copies on an S3-compatible server (s3rver over HTTP on loopback)', () => {
  let db: TTestDb;
  let s3: TS3rverHarness;
  let deps: ReturnType<typeof createTestBackupDeps>;

  const offsite = (mode: 's3' | 'both', credentials = S3RVER_CREDENTIALS): TBackupDeps['offsite'] => ({
    mode,
    storage: withRetries(
      new S3Storage({
        bucket: s3.bucket,
        region: 'us-east-1',
        endpoint: s3.endpoint,
        forcePathStyle: true,
        prefix: 'backups/',
        partSize: 5 * MiB,
        credentials,
      }),
      { attempts: 2, baseDelayMs: 1 },
    ),
  });
  const withMode = (mode: 's3' | 'both', credentials = S3RVER_CREDENTIALS) => ({ ...deps, offsite: offsite(mode, credentials) });

  beforeAll(async () => {
    db = await createTestDb();
    s3 = await startS3rver();
    deps = createTestBackupDeps(db);
    await insertEdgeValues(db.prisma);
    // 8 MB of incompressible bytes, so the backup file needs several 5 MiB parts.
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "Document" (id, "schoolId", title, "mimeType", "sizeBytes", sha256, content)
      SELECT 'doc_big', 'school_edge', 'Scanned archive', 'application/zip', 8000000, 'n/a', decode(string_agg(md5(random()::text || g::text), ''), 'hex')
      FROM generate_series(1, 500000) AS g`);
  });
  afterAll(async () => {
    deps.cleanup();
    await s3.dispose();
    await db.close();
  });

  it('both: keeps the local file and uploads a multipart copy carrying its SHA-256', async () => {
    const local = withMode('both');
    const backup = await createBackup({}, local);
    expect(backup).toMatchObject({ status: 'COMPLETED', location: 'BOTH', uploadError: null });
    expect(backup.sizeBytes).toBeGreaterThan(5 * MiB);
    expect(fs.existsSync(path.join(deps.backupDir, backup.filename))).toBe(true);
    const object = await local.offsite?.storage.stat(backup.objectKey as string);
    expect(object).toMatchObject({ size: backup.sizeBytes, sha256: backup.sha256 });
    expect(s3.requests.some((request) => request.url.includes('partNumber=2'))).toBe(true);
    expect((await listBackups(local)).find((b) => b.id === backup.id)?.location).toBe('BOTH');
  });

  it('verifies, downloads and restores from the cloud copy when the local file is gone', async () => {
    const both = withMode('both');
    const backup = await createBackup({}, both);
    const localFile = path.join(deps.backupDir, backup.filename);
    const original = fs.readFileSync(localFile);
    fs.rmSync(localFile);

    const verified = await verifyBackup(backup.id, both);
    expect(verified.valid).toBe(true);
    expect(verified.checks[0]?.detail).toMatch(/off-site copy/);

    const download = await openBackupForDownload(backup.id, both);
    const chunks: Buffer[] = [];
    for await (const chunk of download.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(original)).toBe(true);

    const before = await dumpTables(db.prisma);
    await db.prisma.payment.deleteMany();
    const restored = await restoreBackup(backup.id, { confirm: true, safetyBackup: false }, both);
    expect(restored.recordsRestored).toBeGreaterThan(0);
    expect(await dumpTables(db.prisma)).toEqual(before);
    expect(fs.readdirSync(deps.backupDir).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('s3: keeps no local copy, and restores on an empty database from its s3:// address', async () => {
    const cloud = withMode('s3');
    const backup = await createBackup({}, cloud);
    expect(backup.location).toBe('CLOUD');
    expect(fs.existsSync(path.join(deps.backupDir, backup.filename))).toBe(false);

    const before = await dumpTables(db.prisma);
    await db.prisma.$executeRawUnsafe('TRUNCATE "School" CASCADE');
    await db.prisma.backup.deleteMany();
    const result = await restoreFromFile(`s3://${s3.bucket}/backups/${backup.filename}`, { confirm: true }, cloud);
    expect(result.safetyBackupSkipped).toBe('the restored models hold no rows');
    expect(await dumpTables(db.prisma)).toEqual(before);
  });

  it('restore-file s3://… restores that object, not a local file of the same name', async () => {
    const both = withMode('both');
    const backup = await createBackup({}, both);
    const before = await dumpTables(db.prisma);
    await db.prisma.payment.deleteMany();
    const other = await createBackup({}, withMode('both'));
    // The local file under the object's name now holds another backup (of the data without payments).
    fs.copyFileSync(path.join(deps.backupDir, other.filename), path.join(deps.backupDir, backup.filename));
    await restoreFromFile(`s3://${s3.bucket}/backups/${backup.filename}`, { confirm: true, safetyBackup: false }, both);
    expect(await dumpTables(db.prisma)).toEqual(before);
    expect(fs.readdirSync(deps.backupDir).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
  });

  it('deleting a backup whose off-site copy cannot be reached (storage not configured) keeps its object key and says so', async () => {
    const backup = await createBackup({}, withMode('both'));
    const result = await deleteBackup(backup.id, deps);
    expect(result).toEqual({ id: backup.id, fileExisted: true, cloudCopyExisted: null, cloudCopyLeft: backup.objectKey });
    const row = await db.prisma.backup.findUniqueOrThrow({ where: { id: backup.id } });
    expect(row).toMatchObject({ status: 'DELETED', location: 'CLOUD', objectKey: backup.objectKey });
    const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { targetId: backup.id, action: 'backup.deleted' } });
    expect(audit.details).toMatchObject({ cloudCopyLeft: backup.objectKey });
    // Once the storage is configured again, deleting again removes the copy it remembered.
    expect(await deleteBackup(backup.id, withMode('both'))).toEqual({ id: backup.id, fileExisted: false, cloudCopyExisted: true });
    await expect(withMode('both').offsite?.storage.stat(backup.objectKey as string)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await db.prisma.backup.findUniqueOrThrow({ where: { id: backup.id } })).toMatchObject({ location: 'LOCAL', objectKey: null });
  });

  it('a storage that stops mid-upload: the both-mode backup stays COMPLETED locally, and sync uploads it later', async () => {
    const both = withMode('both');
    const partsBefore = s3.requests.length;
    const creating = createBackup({}, both);
    // Cut the server as soon as the first part of this upload arrives.
    while (!s3.requests.slice(partsBefore).some((request) => request.url.includes('partNumber=')))
      await new Promise((r) => setTimeout(r, 5));
    await s3.stop();
    const backup = await creating;
    expect(backup).toMatchObject({ status: 'COMPLETED', location: 'LOCAL', objectKey: null });
    expect(backup.uploadError).toMatch(/Could not reach S3/);
    expect(fs.existsSync(path.join(deps.backupDir, backup.filename))).toBe(true);

    const whileDown = await syncUploads(both);
    expect(whileDown.failed.map((f) => f.id)).toContain(backup.id);

    await s3.restart();
    const synced = await syncUploads(both);
    expect(synced.uploaded).toContain(backup.id);
    const row = (await listBackups(both)).find((b) => b.id === backup.id);
    expect(row).toMatchObject({ location: 'BOTH', uploadError: null });
    expect((await both.offsite?.storage.stat(row?.objectKey as string))?.sha256).toBe(backup.sha256);
  });

  it('wrong credentials: a clear error, no secret; s3 mode fails the backup, both mode keeps it local', async () => {
    const bad = { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'super-secret-value' };
    const kept = await createBackup({}, withMode('both', bad));
    expect(kept.location).toBe('LOCAL');
    expect(kept.uploadError).toMatch(/S3 rejected the credentials/);
    expect(kept.uploadError).not.toContain('super-secret-value');

    const error = (await createBackup({}, withMode('s3', bad)).catch((e: unknown) => e)) as BackupError;
    expect(error).toBeInstanceOf(BackupError);
    expect(error.message).toMatch(/^Uploading the backup to off-site storage failed: S3 rejected the credentials/);
    const failed = await db.prisma.backup.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
    expect(failed.status).toBe('FAILED');
    expect(fs.existsSync(path.join(deps.backupDir, failed.filename))).toBe(false);
  });

  it('a failed upload raises upload.failed once; the next upload that works recovers it', async () => {
    const raised: string[] = [];
    const alert = createAlertRaiser({
      prisma: db.prisma,
      channels: [],
      audit: { actorId: null },
      instance: 'test',
      log: (line) => raised.push(line),
    });
    const bad = { accessKeyId: 'NOT-A-KEY', secretAccessKey: 'super-secret-value' };
    const failing = { ...withMode('both', bad), alert };
    await createBackup({}, failing);
    await createBackup({}, failing);
    expect(await listOpenIncidents(db.prisma)).toMatchObject([
      { key: 'upload.failed', event: 'upload.failed', severity: 'warning', count: 2 },
    ]);
    const [incident] = await listOpenIncidents(db.prisma);
    expect(incident?.message).toMatch(/copying it off-site failed: S3 rejected the credentials/);
    expect(incident?.message).not.toContain('super-secret-value');

    await createBackup({}, { ...withMode('both'), alert });
    expect(await listOpenIncidents(db.prisma)).toEqual([]);
    const sent = await db.prisma.auditLog.findMany({ where: { action: 'backup.alert.sent' }, orderBy: { id: 'asc' } });
    expect(sent.map((row) => (row.details as { event: string }).event)).toEqual(['upload.failed', 'recovered']);
    expect(raised).toEqual([]);
  });

  it('delete removes both copies and reports which existed', async () => {
    const both = withMode('both');
    const backup = await createBackup({}, both);
    expect(await deleteBackup(backup.id, both)).toEqual({ id: backup.id, fileExisted: true, cloudCopyExisted: true });
    await expect(both.offsite?.storage.stat(backup.objectKey as string)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fs.existsSync(path.join(deps.backupDir, backup.filename))).toBe(false);
  });
});
