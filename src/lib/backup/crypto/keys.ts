import { createHash } from 'node:crypto';
import { BackupError, MESSAGES } from '../errors/errors';

/**
 * Encryption keys. A backup is encrypted with the current key and records the
 * key's id (a fingerprint: never the key). Previous keys stay usable for
 * decryption, so a key can be rotated without losing older backups.
 */
export interface TBackupKey {
  id: string;
  bytes: Buffer;
}

export interface TKeyring {
  current: TBackupKey;
  previous: TBackupKey[];
}

/** Fingerprint of a key: 16 hex characters of a domain-separated SHA-256. */
export function keyIdOf(bytes: Buffer): string {
  return createHash('sha256').update('school-erp-backup-key-id\0').update(bytes).digest('hex').slice(0, 16);
}

export function parseKey(hex: string): TBackupKey {
  const trimmed = hex.trim();
  if (!/^[0-9a-fA-F]{64}$/.test(trimmed)) throw new BackupError('KEY_INVALID', MESSAGES.keyInvalid);
  const bytes = Buffer.from(trimmed, 'hex');
  return { id: keyIdOf(bytes), bytes };
}

/**
 * Builds the keyring from `BACKUP_ENCRYPTION_KEY` and the comma-separated
 * `BACKUP_ENCRYPTION_KEYS_PREVIOUS`. There is deliberately no fallback key: a
 * backup encrypted with a key everyone knows protects nothing.
 */
export function createKeyring(currentHex: string | undefined, previousHex?: string): TKeyring {
  if (!currentHex) {
    throw new BackupError('KEY_MISSING', MESSAGES.keyMissing);
  }
  const current = parseKey(currentHex);
  const previous = (previousHex ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map(parseKey)
    .filter((key) => key.id !== current.id);
  return { current, previous };
}

/** Every key that may decrypt a file, current first. */
export function allKeys(keyring: TKeyring): TBackupKey[] {
  return [keyring.current, ...keyring.previous];
}
