import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { StorageError } from './errors';
import type { BackupStorage, TBodySource, TListArea, TObjectInfo, TPutOptions, TStoredFile } from './types';

/** Reported before each retry, e.g. to log "S3 unavailable, retrying put (attempt 2/4) in 380 ms". */
export interface TRetryEvent {
  operation: 'put' | 'putFile' | 'get' | 'stat' | 'list' | 'delete';
  key?: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  attempts: number;
  delayMs: number;
  error: StorageError;
}

export interface TRetryOptions {
  /** Total attempts including the first. */
  attempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Replaced in tests to avoid real waiting. */
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (event: TRetryEvent) => void;
}

/** Only `UNAVAILABLE` is transient: backends map connection errors, timeouts, 5xx and throttling to it. */
function isTransientStorageError(error: unknown): error is StorageError {
  return error instanceof StorageError && error.code === 'UNAVAILABLE';
}

/**
 * Wraps a backend so transient failures are retried with exponential backoff
 * ("equal jitter": each wait is between half and all of
 * `min(maxDelayMs, baseDelayMs * 2^(attempt-1))`). Other failures (NOT_FOUND,
 * ACCESS_DENIED, INVALID_KEY, NO_SPACE, INTEGRITY, SOURCE_FAILED...) are thrown at once.
 *
 * - `put` is retried only when the body is a factory: each attempt opens a
 *   fresh stream. A put given a plain stream is attempted once, because its
 *   bytes are gone after the first try. Retrying is safe because a failed put
 *   leaves nothing under the key.
 * - `get` retries opening the object; errors while reading the stream are the caller's.
 * - `list` restarts after a failure and skips keys it already yielded (lists are in key order).
 * - `delete` may resolve false on a retry if the failed attempt had in fact deleted the object.
 */
export function withRetries(storage: BackupStorage, options: TRetryOptions = {}): BackupStorage {
  return new RetryingStorage(storage, {
    attempts: options.attempts ?? 4,
    baseDelayMs: options.baseDelayMs ?? 200,
    maxDelayMs: options.maxDelayMs ?? 5000,
    sleep: options.sleep ?? ((ms) => delay(ms)),
    onRetry: options.onRetry,
  });
}

type TPolicy = Required<Omit<TRetryOptions, 'onRetry'>> & Pick<TRetryOptions, 'onRetry'>;

class RetryingStorage implements BackupStorage {
  constructor(
    private readonly inner: BackupStorage,
    private readonly policy: TPolicy,
  ) {}

  get kind(): BackupStorage['kind'] {
    return this.inner.kind;
  }

  describe(key?: string): string {
    return this.inner.describe(key);
  }

  put(key: string, body: TBodySource, options?: TPutOptions): Promise<void> {
    if (typeof body !== 'function') return this.inner.put(key, body, options);
    return this.retry('put', key, () => this.inner.put(key, body, options));
  }

  /** Retried like a put from a factory: each attempt reads the file afresh, and a failed attempt leaves it untouched. */
  putFile(key: string, filePath: string, options?: TPutOptions): Promise<TStoredFile> {
    return this.retry('putFile', key, () => this.inner.putFile(key, filePath, options));
  }

  localPath(key: string): string | null {
    return this.inner.localPath(key);
  }

  get(key: string): Promise<Readable> {
    return this.retry('get', key, () => this.inner.get(key));
  }

  stat(key: string): Promise<TObjectInfo> {
    return this.retry('stat', key, () => this.inner.stat(key));
  }

  delete(key: string): Promise<boolean> {
    return this.retry('delete', key, () => this.inner.delete(key));
  }

  async *list(area?: TListArea): AsyncIterable<TObjectInfo> {
    let lastKey: string | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const info of this.inner.list(area)) {
          if (lastKey !== undefined && info.key <= lastKey) continue;
          lastKey = info.key;
          yield info;
        }
        return;
      } catch (error) {
        await this.backOff(error, 'list', undefined, attempt);
      }
    }
  }

  isNotFound(error: unknown): boolean {
    return this.inner.isNotFound(error);
  }

  private async retry<T>(operation: TRetryEvent['operation'], key: string, run: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        await this.backOff(error, operation, key, attempt);
      }
    }
  }

  /** Rethrows `error` unless another attempt is allowed; otherwise waits before it. */
  private async backOff(error: unknown, operation: TRetryEvent['operation'], key: string | undefined, attempt: number): Promise<void> {
    const { attempts, baseDelayMs, maxDelayMs, sleep, onRetry } = this.policy;
    if (!isTransientStorageError(error) || attempt >= attempts) throw error;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    const delayMs = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    onRetry?.({ operation, key, attempt, attempts, delayMs, error });
    await sleep(delayMs);
  }
}
