import { gzipSync } from 'node:zlib';
import { BackupError } from '../errors/errors';
import { diffRowLines } from './chunk-patch';
import { ContentDigest } from './content-digest';
import { parseCopyLine } from './copy-text';
import { jsonToCopy } from './json-to-copy';

/**
 * The CPU-heavy steps of a backup and a restore, as plain functions of
 * bytes: the codec pool (codec-pool.ts) runs them in worker threads, so the
 * main thread only moves buffers between the database, the pool and the
 * file. Inputs and outputs are structured-clone values; their byte arrays
 * are transferred, not copied.
 */

const NEWLINE = 0x0a;
const COMMA = 0x2c;

/**
 * Calls `each` with every line of a block of whole COPY lines (UTF-8),
 * without its newline. Each line is decoded on its own, not the block as one
 * string: Node makes the string of a buffer over about 1 MiB (a block is at
 * least that) an external string, whose memory V8 returns only when a
 * garbage collection finds it dead, and one that lives through a task is
 * kept until a full collection, so each worker held tens of MiB of dead
 * block text (docs/benchmark.md, issue 14). A line's string is small and
 * dies young.
 */
function eachCopyLine(copy: Uint8Array, each: (line: string) => void): void {
  const bytes = Buffer.from(copy.buffer, copy.byteOffset, copy.byteLength);
  for (let start = 0; start < bytes.length; ) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end === -1) throw new BackupError('INTERNAL', 'A block of COPY rows ended inside a row');
    each(bytes.toString('utf8', start, end));
    start = end + 1;
  }
}

export interface TCopyToJsonInput {
  /** Complete COPY text lines (each ending with `\n`), UTF-8. */
  copy: Uint8Array;
  /** The model already has rows before these: the block starts with the `,\n` that separates rows. */
  leadingComma: boolean;
  /** Compress the block as one gzip member at this level; null leaves it uncompressed. */
  gzipLevel: number | null;
}

export interface TCopyToJsonOutput {
  /** The rows as document lines (`["…",null],\n["…"]`, no trailing separator), gzipped when asked. */
  out: Uint8Array;
  rows: number;
  /** Uncompressed size of the document text, for progress and statistics. */
  textBytes: number;
  /** The rows' content-digest sum (ContentDigest.addSum). */
  digestSum: Uint8Array;
}

/** Turns a block of COPY text rows into the document's row lines, with their digest. */
export function copyToJson(input: TCopyToJsonInput): TCopyToJsonOutput {
  const digest = new ContentDigest();
  const lines: string[] = [];
  eachCopyLine(input.copy, (copyLine) => {
    const line = JSON.stringify(parseCopyLine(copyLine));
    digest.addText(line);
    lines.push(line);
  });
  const json = Buffer.from((input.leadingComma && lines.length > 0 ? ',\n' : '') + lines.join(',\n'));
  const out = input.gzipLevel === null ? json : gzipSync(json, { level: input.gzipLevel });
  return { out, rows: lines.length, textBytes: json.length, digestSum: digest.sumBytes() };
}

export interface TCopyToRowsOutput {
  /** The rows as a snapshot chunk holds them: one document line per row, each `[…],\n`. */
  out: Uint8Array;
  rows: number;
}

/**
 * Turns a block of COPY text rows into snapshot row lines (each with its
 * comma), without digest or compression: a snapshot decides those per
 * chunk, and skips both for a chunk it already stored.
 */
export function copyToRows(input: { copy: Uint8Array }): TCopyToRowsOutput {
  const lines: string[] = [];
  eachCopyLine(input.copy, (copyLine) => lines.push(JSON.stringify(parseCopyLine(copyLine))));
  return { out: Buffer.from(lines.length > 0 ? `${lines.join(',\n')},\n` : ''), rows: lines.length };
}

export interface TPackChunkInput {
  /** A chunk's row lines, each `[…],\n`. */
  rows: Uint8Array;
  /** gzip level for a chunk to store; null for one already stored (only its digest is wanted). */
  gzipLevel: number | null;
}

export interface TPackChunkOutput {
  /** The chunk gzipped (one member), or null when not asked. */
  gz: Uint8Array | null;
  /** The rows' content-digest sum (ContentDigest.addSum). */
  digestSum: Uint8Array;
  rows: number;
}

/**
 * A snapshot chunk's content-digest sum and, for a chunk to store, its gzip.
 * Each row is hashed from the chunk's own bytes (its text's UTF-8; `,` and
 * `\n` never occur inside a multi-byte character), not from the chunk decoded
 * to a string: see eachCopyLine for what a string of a whole chunk costs.
 */
export function packChunk(input: TPackChunkInput): TPackChunkOutput {
  const rows = Buffer.from(input.rows.buffer, input.rows.byteOffset, input.rows.byteLength);
  const digest = new ContentDigest();
  for (let start = 0; start < rows.length; ) {
    const end = rows.indexOf(NEWLINE, start);
    if (end === -1 || rows[end - 1] !== COMMA) throw new BackupError('INTERNAL', 'A snapshot chunk ended inside a row');
    digest.addText(rows.subarray(start, end - 1));
    start = end + 1;
  }
  const gz = input.gzipLevel === null ? null : gzipSync(input.rows, { level: input.gzipLevel });
  return { gz, digestSum: digest.sumBytes(), rows: digest.rows };
}

export interface TPackChangedChunkInput {
  /** The chunk's row lines. */
  rows: Uint8Array;
  /** The row lines of the chunk it replaces (its base), and that chunk's content-digest sum (hex) and row count. */
  base: Uint8Array;
  baseSum: string;
  baseRows: number;
  gzipLevel: number;
}

export interface TPackChangedChunkOutput {
  /** What `gz` holds: a patch against the base (chunk-patch.ts), or the rows whole. */
  stored: 'patch' | 'whole';
  gz: Uint8Array;
  digestSum: Uint8Array;
  rows: number;
}

/**
 * A snapshot chunk that replaces an earlier one: stored as a patch against
 * it when the patch is at most a quarter of the rows' bytes (its digest
 * then the base's minus the rows dropped plus the rows added, so only
 * those are hashed), else whole, as packChunk.
 */
export function packChangedChunk(input: TPackChangedChunkInput): TPackChangedChunkOutput {
  const rows = Buffer.from(input.rows.buffer, input.rows.byteOffset, input.rows.byteLength);
  const diff = diffRowLines(Buffer.from(input.base.buffer, input.base.byteOffset, input.base.byteLength), rows);
  if (diff.patch.length * 4 > rows.length) {
    const whole = packChunk({ rows, gzipLevel: input.gzipLevel });
    return { stored: 'whole', gz: whole.gz as Uint8Array, digestSum: whole.digestSum, rows: whole.rows };
  }
  const digest = new ContentDigest();
  digest.addSum(Buffer.from(input.baseSum, 'hex'), input.baseRows);
  for (const line of diff.removed) digest.removeText(line.subarray(0, line.length - 2));
  for (const line of diff.inserted) digest.addText(line.subarray(0, line.length - 2));
  return { stored: 'patch', gz: gzipSync(diff.patch, { level: input.gzipLevel }), digestSum: digest.sumBytes(), rows: digest.rows };
}

export const CODEC_TASKS = {
  copyToJson,
  copyToRows,
  jsonToCopy,
  packChunk,
  packChangedChunk,
} as const;

export type TCodecTasks = typeof CODEC_TASKS;
export type TCodecTaskName = keyof TCodecTasks;

/** The byte arrays of a task's output, moved (not copied) back to the caller. */
export function transferablesOf(value: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const visit = (item: unknown) => {
    if (item instanceof Uint8Array) {
      if (item.buffer instanceof ArrayBuffer && item.byteLength === item.buffer.byteLength) found.add(item.buffer);
    } else if (Array.isArray(item)) item.forEach(visit);
    else if (item && typeof item === 'object') Object.values(item).forEach(visit);
  };
  visit(value);
  return [...found];
}
