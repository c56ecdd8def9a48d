import type { Readable } from 'node:stream';

/** What a backend knows about a stored object. */
export interface TObjectInfo {
  key: string;
  size: number;
  modifiedAt: Date;
  /** Hex SHA-256 recorded at upload. Only S3 `stat` returns it; local and all `list` results leave it undefined. */
  sha256?: string;
}

/** Which objects `BackupStorage.list` walks. */
export type TListArea = 'files' | 'chunks';

/** A stream is read once, so a put given a stream can only be attempted once. */
export type TBody = NodeJS.ReadableStream | Readable;

/**
 * What `put` accepts: a stream, or a factory that opens a fresh stream of the
 * same bytes each time it is called. Only a factory lets `withRetries` retry a
 * put; backends call it once per `put`.
 */
export type TBodySource = TBody | (() => TBody);

/** Optional facts about the body; when given, `put` verifies them before the object becomes visible. */
export interface TPutOptions {
  /** Expected hex SHA-256 of the body. A mismatch rejects with `INTEGRITY`. S3 also stores it as `x-amz-meta-sha256`. */
  sha256?: string;
  /** Expected byte count. A mismatch rejects with `INTEGRITY`. */
  size?: number;
  /**
   * Called with the running total of bytes the storage has accepted (local: written to the
   * temp file; S3: acknowledged parts). Non-decreasing within one attempt; a retried put starts again from 0.
   */
  onProgress?: (bytesSent: number) => void;
}

/** What `putFile` stored: the object's size and hex SHA-256. */
export interface TStoredFile {
  size: number;
  sha256: string;
}

/**
 * Where backup files live. The contract every backend honours (and
 * `contract.ts` checks):
 *
 * - Keys are single names, or chunk keys `chunks/<2 hex>/<64 hex>` (keys.ts),
 *   validated by `assertValidKey` before any I/O; an invalid key rejects with
 *   `INVALID_KEY` and the body is never read. A chunk key's folders are made
 *   as needed.
 * - Every failure rejects with a `StorageError` whose message names the
 *   location and never a secret.
 * - `put` is atomic: readers see the old object (or none) until the new one is
 *   complete; a failed or aborted put leaves nothing under the key. It replaces
 *   an existing object. It consumes the body and destroys it on failure.
 * - Backends do not retry whole operations themselves; wrap them with
 *   `withRetries` for that.
 */
export interface BackupStorage {
  readonly kind: 'local' | 's3';
  /** Human-readable location without secrets, e.g. `s3://bucket/prefix/` or `/var/backups/erp`. */
  describe(key?: string): string;
  /** Stores the body under `key`; the object becomes visible only when complete (never a partial object under `key`). */
  put(key: string, body: TBodySource, options?: TPutOptions): Promise<void>;
  /**
   * Stores the file at `filePath` under `key`, with `put`'s guarantees
   * (atomic; `size`/`sha256` when given are verified first, `INTEGRITY` on a
   * mismatch), and resolves to the stored object's size and SHA-256. A local
   * backend MOVES a scratch file of its own directory (one whose name is not
   * a valid key, such as a temporary file the caller wrote there) with one
   * fsync and one rename; every other file is streamed (S3 always) and left
   * where it is. So after success the file may be gone, and the caller
   * removes it if it is not; after a failure it is untouched. A file that
   * cannot be read rejects with `SOURCE_FAILED`.
   */
  putFile(key: string, filePath: string, options?: TPutOptions): Promise<TStoredFile>;
  /**
   * The path of `key`'s object on this machine, for reading it in place (by
   * path, without a copy), or null when the backend is remote. It does not
   * check that the object exists (`stat` does); the path must only be read.
   */
  localPath(key: string): string | null;
  /** Opens the object for reading; rejects with a `NOT_FOUND` `StorageError` when absent. */
  get(key: string): Promise<Readable>;
  /** Size and modification time of the object; rejects with a `NOT_FOUND` `StorageError` when absent. */
  stat(key: string): Promise<TObjectInfo>;
  /**
   * Every complete object of `area` whose name is a valid key, in ascending
   * key order (temp files and foreign names are skipped). `files` (the
   * default): the single-name objects directly under this storage's
   * directory/prefix (backup files, snapshot manifests); nested paths are
   * skipped. `chunks`: the snapshot chunks, keys `chunks/<2 hex>/<id>`.
   * Callers filter by their own naming scheme.
   */
  list(area?: TListArea): AsyncIterable<TObjectInfo>;
  /** Removes the object; resolves true if it existed, false if it did not. */
  delete(key: string): Promise<boolean>;
  /** True when `error` means "no such object" (from this backend or its SDK). */
  isNotFound(error: unknown): boolean;
}
