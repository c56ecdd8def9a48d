import { createHash, type Hash } from 'node:crypto';
import { pipeline, Readable, Transform, type TransformCallback } from 'node:stream';
import { StorageError } from './errors';
import { assertValidKey } from './keys';
import type { TBody, TBodySource, TPutOptions } from './types';

/** A put body opened for one attempt, checked against the caller's `size`/`sha256`. */
export interface TOpenedBody {
  /** The bytes to store; errors with `INTEGRITY` before ending if they do not match the announced size/hash. */
  readonly stream: Readable;
  /** True when `error` came from the caller's stream rather than from the storage. */
  failedAtSource(error: unknown): boolean;
}

/**
 * Opens `source` (calling it if it is a factory) and passes it through an
 * integrity meter. A mismatch is raised before the stream ends, so a backend
 * never commits an object that differs from what the caller announced.
 */
export function openBody(source: TBodySource, options: TPutOptions, location: string): TOpenedBody {
  let opened: TBody;
  try {
    opened = typeof source === 'function' ? source() : source;
  } catch (error) {
    throw sourceFailed(error, location);
  }
  const input = opened instanceof Readable ? opened : new Readable().wrap(opened);
  const meter = new IntegrityMeter(options, location);
  let sourceError: unknown;
  // Registered before `pipeline` so it runs first. When the storage side fails, the pipeline
  // destroys `input` with the storage's error too; by then `meter` is already destroyed.
  input.once('error', (error) => {
    if (!meter.destroyed) sourceError = error;
  });
  // Errors travel through the pipeline into `meter`, where the backend sees them; nothing to do here.
  pipeline(input, meter, () => {});
  return {
    stream: meter,
    failedAtSource: (error) => error !== undefined && error === sourceError,
  };
}

/** Validates a put's key; when it is invalid, releases a stream body unread (a factory is never called) and throws. */
export function assertPutKey(key: string, body: TBodySource, location: string): void {
  try {
    assertValidKey(key, location);
  } catch (error) {
    if (body instanceof Readable) body.destroy();
    throw error;
  }
}

/** Wraps a failure of the caller's body stream; the storage was fine. */
export function sourceFailed(error: unknown, location: string): StorageError {
  return new StorageError('SOURCE_FAILED', `Reading the backup data failed before ${location} was stored; nothing was stored`, {
    cause: error,
  });
}

class IntegrityMeter extends Transform {
  private bytes = 0;
  private readonly hash: Hash | undefined;

  constructor(
    private readonly expected: TPutOptions,
    private readonly location: string,
  ) {
    super();
    this.hash = expected.sha256 === undefined ? undefined : createHash('sha256');
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    const { size } = this.expected;
    if (size !== undefined && this.bytes > size) {
      callback(this.mismatch(`is longer than the announced ${size} bytes`));
      return;
    }
    this.hash?.update(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const { size, sha256 } = this.expected;
    if (size !== undefined && this.bytes !== size) {
      callback(this.mismatch(`has ${this.bytes} bytes, not the announced ${size}`));
      return;
    }
    if (this.hash && sha256 !== undefined && this.hash.digest('hex') !== sha256.toLowerCase()) {
      callback(this.mismatch('does not match the announced SHA-256'));
      return;
    }
    callback();
  }

  private mismatch(problem: string): StorageError {
    return new StorageError('INTEGRITY', `The backup data for ${this.location} ${problem}; nothing was stored`);
  }
}
