import { StorageError } from './errors';

/**
 * A key is a single file/object name: it starts with a letter or digit (so
 * temp files `.tmp-*` can never be addressed) and contains no slash, so it can
 * never name a path outside the backend's directory or prefix.
 */
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/** True when `key` can be stored by every backend. */
export function isValidKey(key: string): boolean {
  return KEY_PATTERN.test(key) && !key.includes('..');
}

/** Throws `INVALID_KEY` naming `location` unless `key` is valid. */
export function assertValidKey(key: string, location: string): void {
  if (!isValidKey(key)) {
    throw new StorageError(
      'INVALID_KEY',
      `Invalid backup object name ${JSON.stringify(key.slice(0, 80))} for ${location}: ` +
        'use 1-201 letters, digits, ".", "_" or "-", starting with a letter or digit, without ".."',
    );
  }
}
