import { StorageError } from './errors';

/**
 * A key is a single file/object name: it starts with a letter or digit (so
 * temp files `.tmp-*` can never be addressed) and contains no slash, so it can
 * never name a path outside the backend's directory or prefix.
 */
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

/**
 * A snapshot chunk's key: `chunks/<first 2 hex of the id>/<64-hex id>`. The
 * only nested keys there are; the two-character folder keeps a local
 * directory from holding hundreds of thousands of entries.
 */
const CHUNK_KEY_PATTERN = /^chunks\/([0-9a-f]{2})\/(\1[0-9a-f]{62})$/;

/** The storage key of the chunk with this id (64 lowercase hex). */
export function chunkKey(id: string): string {
  const key = `chunks/${id.slice(0, 2)}/${id}`;
  if (!CHUNK_KEY_PATTERN.test(key)) throw new StorageError('INVALID_KEY', `Invalid chunk id ${JSON.stringify(id.slice(0, 80))}`);
  return key;
}

/** The chunk id a chunk key names, or null when `key` is not a chunk key. */
export function chunkIdOf(key: string): string | null {
  return CHUNK_KEY_PATTERN.exec(key)?.[2] ?? null;
}

/** True when `key` can be stored by every backend: a single name, or a chunk key. */
export function isValidKey(key: string): boolean {
  return (KEY_PATTERN.test(key) && !key.includes('..')) || CHUNK_KEY_PATTERN.test(key);
}

/** Throws `INVALID_KEY` naming `location` unless `key` is valid. */
export function assertValidKey(key: string, location: string): void {
  if (!isValidKey(key)) {
    throw new StorageError(
      'INVALID_KEY',
      `Invalid backup object name ${JSON.stringify(key.slice(0, 80))} for ${location}: ` +
        'use 1-201 letters, digits, ".", "_" or "-", starting with a letter or digit, without "..", or chunks/<2 hex>/<64 hex>',
    );
  }
}
