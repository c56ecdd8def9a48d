import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { markHandled } from '@/lib/async/mark-handled';

const gzipAsync = promisify(gzip);

export interface TParallelGzipOptions {
  /** Uncompressed bytes per gzip member. */
  blockSize?: number;
  /** Members compressed at once (on libuv's thread pool). */
  concurrency?: number;
  level?: number;
}

/**
 * Test files' compression (craft-file.ts; the engine compresses in its codec
 * workers, format/codec-tasks.ts). Compresses a byte stream as a series of independent gzip members, several
 * at a time. Concatenated members are valid gzip (RFC 1952) and `gunzip`
 * reads them as one stream, so the output stays standard while compression,
 * the slowest stage, runs on every core instead of one. Memory is bounded by
 * `concurrency × blockSize`, whatever the input size.
 */
export async function* parallelGzip(source: AsyncIterable<Buffer | string>, options: TParallelGzipOptions = {}): AsyncGenerator<Buffer> {
  const blockSize = options.blockSize ?? 1 << 20;
  const concurrency = options.concurrency ?? Math.max(2, availableParallelism());
  const level = options.level ?? 6;
  const inFlight: Promise<Buffer>[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const startBlock = () => {
    const block = Buffer.concat(pending, pendingBytes);
    pending = [];
    pendingBytes = 0;
    // A rejection is observed when the block is awaited; this avoids an
    // unhandled-rejection crash if an earlier block fails first.
    inFlight.push(markHandled(gzipAsync(block, { level })));
  };

  for await (const piece of source) {
    const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= blockSize) {
      startBlock();
      if (inFlight.length >= concurrency) yield await (inFlight.shift() as Promise<Buffer>);
    }
  }
  if (pendingBytes > 0 || inFlight.length === 0) startBlock();
  while (inFlight.length > 0) yield await (inFlight.shift() as Promise<Buffer>);
}
