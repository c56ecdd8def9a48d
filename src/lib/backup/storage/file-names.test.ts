import { describe, expect, it } from 'vitest';
import {
  DOWNLOAD_TEMP_PREFIX,
  isBackupFileName,
  isTemporaryBackupName,
  newBackupFilename,
  TEMP_PREFIX,
  temporaryBackupName,
} from './file-names';
import { isValidKey } from './keys';

describe('backup file names', () => {
  it('names a new backup by its UTC time and a random suffix, in a name it accepts', () => {
    const name = newBackupFilename(new Date('2026-03-01T10:20:30.456Z'));
    expect(name).toMatch(/^backup-20260301T102030Z-[0-9a-f]{8}\.enc$/);
    expect(isBackupFileName(name)).toBe(true);
    expect(isValidKey(name)).toBe(true);
  });

  it('refuses paths, temporary files and other files', () => {
    for (const name of ['../backup-x.enc', 'backup-x/y.enc', '.tmp-backup-x.enc', 'backup-x.enc.bak', 'notes.txt', 'backup-.enc']) {
      expect(isBackupFileName(name), name).toBe(false);
    }
    expect(isBackupFileName('backup-2026-03-01T10-00-00.enc')).toBe(true);
  });

  it('gives temporary files names no storage key, listing or restore can take for a backup', () => {
    const temp = temporaryBackupName('backup-20260301T102030Z-0a1b2c3d.enc');
    expect(temp).toBe('.tmp-backup-20260301T102030Z-0a1b2c3d.enc');
    expect(isTemporaryBackupName(temp)).toBe(true);
    expect(isTemporaryBackupName(`${DOWNLOAD_TEMP_PREFIX}12-ab-backup-x.enc`)).toBe(false);
    for (const name of [temp, `${DOWNLOAD_TEMP_PREFIX}1-x`, `${TEMP_PREFIX}x`]) {
      expect(isValidKey(name)).toBe(false);
      expect(isBackupFileName(name)).toBe(false);
    }
  });
});
