import { gzipSync } from 'node:zlib';
import { markHandled } from '@/lib/async/mark-handled';
import type { CodecPool } from './codec-pool';
import { transferablesOf } from './codec-tasks';
import { ContentDigest } from './content-digest';
import { documentLines, type TBackupHeader, WRITE_VERSION } from './document';

/** A model's rows as blocks of whole COPY text lines, in row-key order. */
export interface TModelBlocks {
  name: string;
  blocks: AsyncIterable<Uint8Array>;
}

export interface TCopyWriteOptions {
  pool: CodecPool;
  /** Blocks converted at once; default twice the pool's workers (one running, one queued each). */
  inFlight?: number;
  /** gzip level of every member (default 6, zlib's and pg_dump's). */
  gzipLevel?: number;
  /** Filled with each model's content digest as its rows are written. */
  digests?: Record<string, string>;
  /** Counts the bytes of the document's text as it is written (its logical size). */
  size?: { textBytes: number };
}

/**
 * Writes the current version's backup document (document.ts) as a series of
 * gzip members: each block of COPY rows becomes one member in a worker
 * thread of the pool (row lines, their digest, gzip), several at once, and
 * the members are handed on in order; the few structural lines (opening,
 * header, each model's start and end with its digest) are small members of
 * their own. Concatenated, the members are one valid gzip stream of exactly
 * the text the tests' reference writer (src/test/document-writer.ts) writes for the same rows. Blocks of the next
 * model are read while the last ones of a model are converted: a model's
 * digest is a sum, so its parts may arrive in any order, and its closing
 * line waits for all of them. Memory holds at most `inFlight` blocks and
 * their outputs.
 */
export async function* writeCopyDocument(
  header: TBackupHeader,
  models: Iterable<TModelBlocks>,
  options: TCopyWriteOptions,
): AsyncGenerator<Buffer> {
  const level = options.gzipLevel ?? 6;
  const inFlight = Math.max(1, options.inFlight ?? 2 * options.pool.size);
  const size = options.size ?? { textBytes: 0 };
  const member = (text: string) => {
    size.textBytes += Buffer.byteLength(text);
    return gzipSync(text, { level });
  };
  // Members in file order; a rejection is seen when its turn comes (or never, once an earlier one failed).
  const queue: Promise<Buffer>[] = [];
  queue.push(Promise.resolve(member(documentLines.opening(WRITE_VERSION) + documentLines.header(header))));
  const list = [...models];
  for (const [index, model] of list.entries()) {
    queue.push(Promise.resolve(member(documentLines.modelStart(model.name))));
    const digest = new ContentDigest();
    const parts: Promise<Buffer>[] = [];
    for await (const copy of model.blocks) {
      if (copy.length === 0) continue;
      // The block's buffer moves to the worker (when the block owns all of it) instead of being copied.
      const task = options.pool.run('copyToJson', { copy, leadingComma: parts.length > 0, gzipLevel: level }, transferablesOf(copy));
      const part = task.then((output) => {
        digest.addSum(output.digestSum, output.rows);
        size.textBytes += output.textBytes;
        return Buffer.from(output.out.buffer, output.out.byteOffset, output.out.byteLength);
      });
      parts.push(part);
      queue.push(markHandled(part));
      while (queue.length >= inFlight) yield await (queue.shift() as Promise<Buffer>);
    }
    const hasRows = parts.length > 0;
    const end = Promise.all(parts).then(() => {
      const hex = digest.hex();
      if (options.digests) options.digests[model.name] = hex;
      return member((hasRows ? '\n' : '') + documentLines.modelEnd(index === list.length - 1, hex));
    });
    queue.push(markHandled(end));
  }
  queue.push(Promise.resolve(member(documentLines.closing)));
  while (queue.length > 0) yield await (queue.shift() as Promise<Buffer>);
}
