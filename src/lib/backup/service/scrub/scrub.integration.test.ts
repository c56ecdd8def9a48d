import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TAlertEvent } from '@/lib/backup/alerts/alert-event';
import { createKeyring } from '@/lib/backup/crypto/keys';
import { acquireOperationLock } from '@/lib/backup/lock/operation-lock';
import { createBackup, scrubBackups, type TBackupSummary } from '@/lib/backup/service';
import type { TBackupDeps } from '@/lib/backup/service/deps';
import { S3Storage } from '@/lib/backup/storage';
import { S3RVER_CREDENTIALS, startS3rver, type TS3rverHarness } from '@/lib/backup/storage/testing/s3rver-harness';
import { createTestBackupDeps, randomKeyHex } from '@/test/backup-deps';
import { insertEdgeValues } from '@/test/edge-values';
import { createTestDb, type TTestDb } from '@/test/test-db';

/** Bytes of a stream, whole (the test's backups are small). */
async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The bytes with one byte inverted: by default one in the middle of the ciphertext. */
function flipByte(bytes: Buffer, at = Math.floor(bytes.length / 2)): Buffer {
  if (at >= bytes.length) throw new Error(`no byte ${at} in ${bytes.length} bytes`);
  const copy = Buffer.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0xff;
  return copy;
}

describe('scrub: every copy of every completed backup checked, repaired from the good one, or recorded and alerted', () => {
  let db: TTestDb;
  let s3: TS3rverHarness;
  let base: ReturnType<typeof createTestBackupDeps>;
  let storage: S3Storage;
  let alerts: TAlertEvent[];
  let deps: TBackupDeps;

  beforeAll(async () => {
    db = await createTestDb();
    s3 = await startS3rver();
    base = createTestBackupDeps(db);
    storage = new S3Storage({
      bucket: s3.bucket,
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      prefix: 'backups/',
      credentials: S3RVER_CREDENTIALS,
    });
    await insertEdgeValues(db.prisma);
  });
  afterAll(async () => {
    base.cleanup();
    await s3.dispose();
    await db.close();
  });
  beforeEach(async () => {
    alerts = [];
    deps = {
      ...base,
      offsite: { mode: 'both', storage },
      // The scrub's own alerts: the backups these tests make raise upload incidents' `recovered` too, which are not the scrub's.
      alert: async (event) => {
        if (!event.incidentKey.startsWith('upload.')) alerts.push(event);
      },
    };
    // Each test scrubs only the backups it makes.
    await db.prisma.backup.updateMany({ where: { status: 'COMPLETED' }, data: { status: 'DELETED' } });
  });

  const localPath = (backup: TBackupSummary) => path.join(base.backupDir, backup.filename);
  const objectBytes = async (backup: TBackupSummary) => bytesOf(await storage.get(backup.objectKey ?? ''));
  const putObject = (backup: TBackupSummary, bytes: Buffer) => storage.put(backup.objectKey ?? '', Readable.from([bytes]));
  const rowOf = (backup: TBackupSummary) => db.prisma.backup.findUniqueOrThrow({ where: { id: backup.id } });
  const lastAudit = () => db.prisma.auditLog.findFirstOrThrow({ where: { action: 'backup.scrubbed' }, orderBy: { id: 'desc' } });
  const tempFiles = () => fs.readdirSync(base.backupDir).filter((name) => name.startsWith('.tmp-'));

  it('all copies good: OK on the row, nothing rewritten, nothing alerted', async () => {
    const backup = await createBackup({}, deps);
    expect(backup.location).toBe('BOTH');
    const before = fs.statSync(localPath(backup));
    const requestsBefore = s3.requests.length;

    const result = await scrubBackups(deps);

    expect(result).toEqual({
      clean: true,
      checked: 1,
      ok: 1,
      repaired: [],
      damaged: [],
      unchecked: [],
      backups: [{ id: backup.id, filename: backup.filename, status: 'OK', local: 'ok', offsite: 'ok' }],
    });
    const after = fs.statSync(localPath(backup));
    expect([after.mtimeMs, after.ino]).toEqual([before.mtimeMs, before.ino]);
    // Read only: a stat and a download, never an upload.
    expect(s3.requests.slice(requestsBefore).map((request) => request.method)).toEqual(['HEAD', 'GET']);
    expect(await rowOf(backup)).toMatchObject({ scrubStatus: 'OK', scrubProblem: null, lastScrubAt: expect.any(Date) });
    expect(await lastAudit()).toMatchObject({ outcome: 'SUCCESS' });
    expect(alerts).toEqual([]);
    expect(tempFiles()).toEqual([]);
  });

  const localDamage: [string, string, (file: string) => void][] = [
    ['truncated', 'it is 100 bytes', (file) => fs.truncateSync(file, 100)],
    ['with one flipped byte', 'its SHA-256 differs', (file) => fs.writeFileSync(file, flipByte(fs.readFileSync(file)))],
    ['deleted', 'the file is not in the backup directory', (file) => fs.rmSync(file)],
  ];
  it.each(localDamage)('a local copy %s is repaired from the good off-site copy, and says so', async (_name, problem, damage) => {
    const backup = await createBackup({}, deps);
    const original = fs.readFileSync(localPath(backup));
    damage(localPath(backup));

    const result = await scrubBackups(deps);

    expect(result).toMatchObject({
      checked: 1,
      ok: 0,
      repaired: [{ id: backup.id, copy: 'local', how: 'local copy repaired from the off-site copy' }],
      damaged: [],
      backups: [{ id: backup.id, status: 'REPAIRED', local: 'repaired', offsite: 'ok' }],
    });
    expect(fs.readFileSync(localPath(backup)).equals(original)).toBe(true);
    const row = await rowOf(backup);
    expect(row.scrubStatus).toBe('REPAIRED');
    expect(row.scrubProblem).toContain(problem);
    expect(row.scrubProblem).toMatch(/^The local copy was (damaged|missing) \(.*\) and was repaired from the off-site copy\.$/);
    expect(alerts).toEqual([]);
    expect(tempFiles()).toEqual([]);
    // Repaired for good: the next scrub finds nothing to do.
    expect((await scrubBackups(deps)).backups[0]).toMatchObject({ status: 'OK', local: 'ok', offsite: 'ok' });
  });

  const offsiteDamage: [string, (backup: TBackupSummary) => Promise<unknown>][] = [
    ['deleted', (backup) => storage.delete(backup.objectKey ?? '')],
    ['with one flipped byte', async (backup) => putObject(backup, flipByte(await objectBytes(backup), 40))],
    ['truncated', async (backup) => putObject(backup, (await objectBytes(backup)).subarray(0, 64))],
  ];
  it.each(offsiteDamage)('an off-site copy %s is uploaded again from the good local copy', async (_name, damage) => {
    const backup = await createBackup({}, deps);
    await damage(backup);

    const result = await scrubBackups(deps);

    expect(result).toMatchObject({
      repaired: [{ id: backup.id, copy: 'offsite', how: 'off-site copy re-uploaded from the local copy' }],
      damaged: [],
      backups: [{ id: backup.id, status: 'REPAIRED', local: 'ok', offsite: 'repaired' }],
    });
    expect((await objectBytes(backup)).equals(fs.readFileSync(localPath(backup)))).toBe(true);
    expect((await rowOf(backup)).scrubProblem).toMatch(
      /^The off-site copy was (damaged|missing) .* and was re-uploaded from the local copy\.$/,
    );
    expect(alerts).toEqual([]);
  });

  it('both copies bad: DAMAGED on the row, alerted per copy, the run a FAILURE; good again later: recovered', async () => {
    const backup = await createBackup({}, deps);
    const original = fs.readFileSync(localPath(backup));
    fs.writeFileSync(localPath(backup), flipByte(original));
    await storage.delete(backup.objectKey ?? '');

    const result = await scrubBackups(deps);

    expect(result).toMatchObject({
      clean: false,
      checked: 1,
      ok: 0,
      repaired: [],
      damaged: [
        { id: backup.id, copy: 'local', problem: expect.stringContaining('SHA-256 differs') },
        { id: backup.id, copy: 'offsite', problem: expect.stringContaining('not in the off-site storage') },
      ],
      backups: [{ id: backup.id, status: 'DAMAGED', local: 'damaged', offsite: 'missing' }],
    });
    const row = await rowOf(backup);
    expect(row.scrubStatus).toBe('DAMAGED');
    expect(row.scrubProblem).toContain('The local copy is damaged: its SHA-256 differs from the recorded checksum; there is no good copy');
    expect(row.scrubProblem).toContain('The off-site copy is missing');
    expect(alerts).toEqual([
      expect.objectContaining({
        event: 'scrub.damaged',
        severity: 'critical',
        backupId: backup.id,
        incidentKey: `scrub.damaged:${backup.id}:local`,
      }),
      expect.objectContaining({
        event: 'scrub.damaged',
        severity: 'critical',
        backupId: backup.id,
        incidentKey: `scrub.damaged:${backup.id}:offsite`,
      }),
    ]);
    expect(alerts[0]?.message).toContain(backup.filename);
    expect(await lastAudit()).toMatchObject({ outcome: 'FAILURE' });
    // Nothing was "repaired" from a bad copy.
    expect(fs.readFileSync(localPath(backup)).equals(original)).toBe(false);

    // The operator puts a good copy back: the next scrub repairs the other one and closes both incidents.
    fs.writeFileSync(localPath(backup), original);
    alerts = [];
    const again = await scrubBackups(deps);
    expect(again.backups[0]).toMatchObject({ status: 'REPAIRED', local: 'ok', offsite: 'repaired' });
    expect(alerts.map((alert) => [alert.event, alert.incidentKey])).toEqual([
      ['recovered', `scrub.damaged:${backup.id}:local`],
      ['recovered', `scrub.damaged:${backup.id}:offsite`],
    ]);
  });

  it('checks only the copies the location names: a LOCAL backup has no off-site copy to repair from', async () => {
    const local = await createBackup({}, { ...deps, offsite: undefined });
    expect(local.location).toBe('LOCAL');
    fs.truncateSync(localPath(local), 10);

    const result = await scrubBackups(deps);

    expect(result.backups).toEqual([{ id: local.id, filename: local.filename, status: 'DAMAGED', local: 'damaged', offsite: 'absent' }]);
    expect(result.damaged).toEqual([{ id: local.id, copy: 'local', problem: expect.stringContaining('it is 10 bytes') }]);
    expect(alerts.map((alert) => alert.incidentKey)).toEqual([`scrub.damaged:${local.id}:local`]);
  });

  it('a CLOUD backup (mode s3) has only its object: a good one is OK, a damaged one cannot be repaired', async () => {
    const cloud = await createBackup({}, { ...deps, offsite: { mode: 's3', storage } });
    expect([cloud.location, fs.existsSync(localPath(cloud))]).toEqual(['CLOUD', false]);
    expect((await scrubBackups(deps)).backups).toEqual([
      { id: cloud.id, filename: cloud.filename, status: 'OK', local: 'absent', offsite: 'ok' },
    ]);

    await putObject(cloud, flipByte(await objectBytes(cloud)));
    const result = await scrubBackups(deps);

    expect(result.damaged).toEqual([{ id: cloud.id, copy: 'offsite', problem: expect.stringContaining('SHA-256 differs') }]);
    expect(fs.existsSync(localPath(cloud))).toBe(false);
    expect(alerts.map((alert) => alert.incidentKey)).toEqual([`scrub.damaged:${cloud.id}:offsite`]);
  });

  it('a copy it cannot check (key not configured, no off-site storage) is reported as unchecked: not repaired, not alerted', async () => {
    const backup = await createBackup({}, deps);
    const before = fs.statSync(localPath(backup));
    const otherKey = { ...deps, keyring: createKeyring(randomKeyHex()), offsite: undefined };

    const result = await scrubBackups(otherKey);

    expect(result.backups).toEqual([
      { id: backup.id, filename: backup.filename, status: 'UNCHECKED', local: 'unchecked', offsite: 'unchecked' },
    ]);
    expect(result.unchecked.map((entry) => entry.problem)).toEqual([
      expect.stringContaining(`the key ${backup.keyId} it was made with is not configured`),
      expect.stringContaining('no off-site storage is configured'),
    ]);
    expect(result.damaged).toEqual([]);
    expect(alerts).toEqual([]);
    expect(fs.statSync(localPath(backup)).mtimeMs).toBe(before.mtimeMs);
    expect(await lastAudit()).toMatchObject({ outcome: 'FAILURE' });
  });

  it('a copy damaged without a key change fails the auth tag even when size and checksum were recorded from the damaged file', async () => {
    const backup = await createBackup({}, { ...deps, offsite: undefined });
    // Bytes and row agree (as if the file was damaged before its checksum was taken): only the auth tag can tell.
    const damaged = flipByte(fs.readFileSync(localPath(backup)));
    fs.writeFileSync(localPath(backup), damaged);
    await db.prisma.backup.update({ where: { id: backup.id }, data: { sha256: createHash('sha256').update(damaged).digest('hex') } });

    const result = await scrubBackups(deps);

    expect(result.damaged).toEqual([{ id: backup.id, copy: 'local', problem: expect.stringContaining('auth tag does not authenticate') }]);
  });

  it('repairs under the operation lock: waits for a running operation, and leaves alone a backup deleted meanwhile', async () => {
    const backup = await createBackup({}, deps);
    fs.rmSync(localPath(backup));
    // Another operation (a delete of this very backup) holds the lock while the scrub reads.
    const lock = await acquireOperationLock(db.database);
    const scrub = scrubBackups(deps, { lockWaitMs: 60_000 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fs.existsSync(localPath(backup))).toBe(false);
    await storage.delete(backup.objectKey ?? '');
    await db.prisma.backup.update({ where: { id: backup.id }, data: { status: 'DELETED' } });
    await lock.release();

    const result = await scrub;

    // What looked missing was the delete's doing: not repaired, not recorded, not alerted.
    expect(result).toMatchObject({ checked: 0, repaired: [], damaged: [], backups: [] });
    expect(fs.existsSync(localPath(backup))).toBe(false);
    expect((await rowOf(backup)).scrubStatus).toBeNull();
    expect(alerts).toEqual([]);
  });

  it('a repair that cannot get the lock in time leaves the copy recorded as missing, says why, and alerts', async () => {
    const backup = await createBackup({}, deps);
    fs.rmSync(localPath(backup));
    const lock = await acquireOperationLock(db.database);
    try {
      const result = await scrubBackups(deps, { lockWaitMs: 0 });
      expect(result.damaged).toEqual([
        { id: backup.id, copy: 'local', problem: expect.stringContaining('repairing it failed: a backup or restore is already running') },
      ]);
      expect(alerts.map((alert) => alert.incidentKey)).toEqual([`scrub.damaged:${backup.id}:local`]);
    } finally {
      await lock.release();
    }
    expect((await scrubBackups(deps)).repaired).toEqual([
      { id: backup.id, copy: 'local', how: 'local copy repaired from the off-site copy' },
    ]);
  });
});
