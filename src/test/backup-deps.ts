import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKeyring } from '@/lib/backup/crypto/keys';
import type { TBackupDeps } from '@/lib/backup/service';
import type { TTestDb } from './test-db';

export function randomKeyHex(): string {
  return randomBytes(32).toString('hex');
}

/** Backup dependencies over a test database: a fresh temporary backup directory and a random key. */
export function createTestBackupDeps(db: TTestDb, overrides: Partial<TBackupDeps> = {}): TBackupDeps & { cleanup(): void } {
  const backupDir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-backups-'));
  return {
    db,
    backupDir,
    keyring: createKeyring(randomKeyHex()),
    audit: { actorId: null },
    ...overrides,
    cleanup: () => fs.rmSync(backupDir, { recursive: true, force: true }),
  };
}
