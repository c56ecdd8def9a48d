import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring } from '@/lib/backup/crypto/keys';
import { BackupError } from '@/lib/backup/errors/errors';
import { createBackup, restoreFromFile, verifyBackup } from '@/lib/backup/service';
import { createTestBackupDeps, randomKeyHex } from '@/test/backup-deps';
import { insertEdgeValues } from '@/test/edge-values';
import { dumpTables } from '@/test/table-dump';
import { createTestDb, type TTestDb } from '@/test/test-db';

async function rejection(promise: Promise<unknown>): Promise<BackupError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  return error as BackupError;
}

describe('damaged, tampered and foreign files are refused with the database untouched', () => {
  let db: TTestDb;
  let deps: ReturnType<typeof createTestBackupDeps>;
  let original: string;
  let before: Record<string, string[]>;

  beforeAll(async () => {
    db = await createTestDb();
    deps = createTestBackupDeps(db);
    await insertEdgeValues(db.prisma);
    const backup = await createBackup({}, deps);
    original = path.join(deps.backupDir, backup.filename);
    // The database differs from the backup, so a restore that went through would show.
    await db.prisma.payment.deleteMany();
    before = await dumpTables(db.prisma);
  });
  afterAll(async () => {
    deps.cleanup();
    await db.close();
  });

  const copyWith = (name: string, change: (bytes: Buffer) => Buffer) => {
    const target = path.join(deps.backupDir, name);
    fs.writeFileSync(target, change(fs.readFileSync(original)));
    return target;
  };
  const flipByte = (offset: (bytes: Buffer) => number) => (bytes: Buffer) => {
    const copy = Buffer.from(bytes);
    const at = offset(copy);
    copy[at] = (copy[at] as number) ^ 0x01;
    return copy;
  };

  it.each([
    ['IV', flipByte(() => 3)],
    ['auth tag', flipByte(() => 20)],
    ['ciphertext (first byte)', flipByte(() => 32)],
    ['ciphertext (last byte)', flipByte((b) => b.length - 1)],
  ])('one flipped byte of the %s: authentication failed', async (_, change) => {
    const file = copyWith('tampered.enc', change);
    const error = await rejection(restoreFromFile(file, { confirm: true }, deps));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toBe('authentication failed: wrong key or the file was modified');
    expect(await dumpTables(db.prisma)).toEqual(before);
  });

  it('a different key: authentication failed', async () => {
    const otherKey = { ...deps, keyring: createKeyring(randomKeyHex()) };
    const error = await rejection(restoreFromFile(original, { confirm: true }, otherKey));
    expect(error.message).toBe('authentication failed: wrong key or the file was modified');
    expect(await dumpTables(db.prisma)).toEqual(before);
    const audit = await db.prisma.auditLog.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(audit).toMatchObject({
      action: 'backup.restored',
      outcome: 'FAILURE',
      details: { error: 'authentication failed: wrong key or the file was modified' },
    });
  });

  it('a rotated key still restores through BACKUP_ENCRYPTION_KEYS_PREVIOUS', async () => {
    const oldKeyHex = deps.keyring.current.bytes.toString('hex');
    const rotated = { ...deps, keyring: createKeyring(randomKeyHex(), `${randomKeyHex()},${oldKeyHex}`) };
    const result = await restoreFromFile(original, { confirm: true, safetyBackup: false }, rotated);
    expect(result.recordsRestored).toBeGreaterThan(0);
    expect(await db.prisma.payment.count()).toBe(3);
    await db.prisma.payment.deleteMany();
  });

  it.each([
    ['empty', () => Buffer.alloc(0), 'CORRUPT'],
    ['shorter than its header', (b: Buffer) => b.subarray(0, 20), 'CORRUPT'],
    ['truncated', (b: Buffer) => b.subarray(0, Math.floor(b.length / 2)), 'AUTH_FAILED'],
  ])('a %s file is refused', async (_, change, code) => {
    const file = copyWith('cut.enc', change);
    const error = await rejection(restoreFromFile(file, { confirm: true }, deps));
    expect(error.code).toBe(code);
    expect(await dumpTables(db.prisma)).toEqual(before);
  });

  it('a missing file: Backup file not found on disk', async () => {
    const error = await rejection(restoreFromFile(path.join(deps.backupDir, 'nope.enc'), { confirm: true }, deps));
    expect(error.message).toBe('Backup file not found on disk');
  });

  it('verify pinpoints a modified file', async () => {
    const backup = await createBackup({}, deps);
    const file = path.join(deps.backupDir, backup.filename);
    fs.writeFileSync(file, flipByte((b) => b.length - 5)(fs.readFileSync(file)));
    const result = await verifyBackup(backup.id, deps);
    expect(result.valid).toBe(false);
    expect(result.checks.find((check) => !check.ok)?.name).toBe('checksum');
  });

  it('uses a fresh random IV for every backup', async () => {
    const a = await createBackup({}, deps);
    const b = await createBackup({}, deps);
    const ivOf = (name: string) => fs.readFileSync(path.join(deps.backupDir, name)).subarray(0, 16).toString('hex');
    expect(ivOf(a.filename)).not.toBe(ivOf(b.filename));
  });

  it('refuses to restore without confirmation', async () => {
    const error = await rejection(restoreFromFile(original, { confirm: false }, deps));
    expect(error.code).toBe('CONFIRMATION_REQUIRED');
  });
});
