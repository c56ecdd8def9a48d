/**
 * Why a storage operation failed, as a caller needs to act on it:
 * - `NOT_FOUND`: no object under the key (get/stat).
 * - `NO_SPACE`: the disk or quota is full.
 * - `ACCESS_DENIED`: credentials rejected or permissions missing.
 * - `UNAVAILABLE`: transient (connection refused/reset, timeout, 5xx, throttling); worth retrying.
 * - `INVALID_KEY`: the key breaks the key rule (see `keys.ts`); nothing was touched.
 * - `INTEGRITY`: the body did not match the `size`/`sha256` the caller announced; nothing was stored.
 * - `SOURCE_FAILED`: the body stream itself errored (not the storage); nothing was stored.
 * - `MISCONFIGURED`: the location itself is wrong (e.g. the bucket does not exist).
 * - `UNKNOWN`: anything else; see `cause`.
 */
export type TStorageErrorCode =
  | 'NOT_FOUND'
  | 'NO_SPACE'
  | 'ACCESS_DENIED'
  | 'UNAVAILABLE'
  | 'INVALID_KEY'
  | 'INTEGRITY'
  | 'SOURCE_FAILED'
  | 'MISCONFIGURED'
  | 'UNKNOWN';

/**
 * The only error type backends reject with. `message` is safe to show to an
 * administrator: it names the location but never a secret and never raw
 * protocol output. The underlying error is kept as `cause` for logs.
 */
export class StorageError extends Error {
  override readonly name = 'StorageError';
  readonly code: TStorageErrorCode;

  constructor(code: TStorageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** True for a `StorageError` with code `NOT_FOUND`. */
export function isStorageNotFound(error: unknown): boolean {
  return error instanceof StorageError && error.code === 'NOT_FOUND';
}

/** The `code` of a Node.js system error (`ENOSPC`, `ECONNREFUSED`...), if any. */
export function systemErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
