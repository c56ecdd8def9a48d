import { createHash } from 'node:crypto';
import { BackupError } from '../errors/errors';

/**
 * Content-defined chunking of a model's row lines, for snapshots: the
 * chunk boundaries are part of the snapshot format's behaviour (a chunk
 * stored by one version must be cut the same way by the next, or nothing
 * dedups), so the algorithm is written out here and must not change
 * without a new format version.
 *
 * FastCDC (Xia et al., USENIX ATC 2016), cut at row boundaries:
 * - Gear rolling hash, 32-bit: `h = ((h << 1) + GEAR[byte]) | 0`. Bit k of
 *   `h` depends on the last k + 1 bytes only, so the hash forgets what lies
 *   more than 32 bytes back. `GEAR[i]` is the first 4 bytes (big-endian) of
 *   SHA-256(`erp-backup snapshot chunker gear v1:<i>`), computed at module
 *   load: the same table in every process and version.
 * - Per chunk: `h` starts at 0 and the bytes at chunk offsets below
 *   `minBytes` are not hashed (cut-point skipping). The byte at offset o,
 *   once hashed into `h`, is a cut point when `h & MASK_S` is 0 for
 *   `minBytes <= o < avgBytes`, or `h & MASK_L` is 0 for
 *   `avgBytes <= o < maxBytes` (normalized chunking, level 2). With
 *   `b = round(log2(avgBytes))`, `MASK_S` has the n = b + 2 bits
 *   `8 + round(k * 23 / (n - 1))` (k = 0..n-1) set, spread over positions
 *   8..31; `MASK_L` has b - 2 bits, `MASK_S`'s bits number
 *   `round(k * (n - 1) / (b - 3))`, so a cut under the stricter mask is
 *   also one under the looser. High bits make each test depend on 9 to 32
 *   bytes. At 1 MiB: `MASK_S` = 0xfdffbf00, `MASK_L` = 0xedbdb700.
 * - A cut point at byte i ends the chunk at the end of the row that holds
 *   byte i: a chunk is always whole row lines.
 * - No cut point by offset `maxBytes`, or a cut point in a row that ends
 *   past `maxBytes`: the chunk ends before the row that would take it past
 *   `maxBytes`. A single row longer than `maxBytes` is a chunk of its own.
 * - The model's last chunk is what remains (it may be shorter than `minBytes`).
 *
 * Each boundary therefore depends only on the bytes from the chunk's own
 * start: every chunk before an inserted, changed or deleted row stays the
 * same, and after it the boundaries fall back in step with the old ones,
 * almost always within a chunk or two. (Not always: a chunk that starts off
 * the old boundaries, because the change made a cut point of its own, sees
 * the skipped `minBytes` and the mask switch at other bytes, and may cut
 * elsewhere again before the two lists meet; the tests measure how rarely.)
 */

/** Chunk size bounds, in bytes of plaintext row lines. */
export interface TChunkSizes {
  /** No cut point is looked for before this offset (the model's last chunk may still be shorter). */
  minBytes: number;
  /** The target average; the mask switches from strict to loose here. Rounded to a power of two for the masks. */
  avgBytes: number;
  /** No chunk grows past this, unless it is one row longer than this. */
  maxBytes: number;
}

/** The snapshot format's sizes: 256 KiB / 1 MiB / 4 MiB. */
export const CHUNK_SIZES: TChunkSizes = { minBytes: 256 * 1024, avgBytes: 1024 * 1024, maxBytes: 4 * 1024 * 1024 };

/** One chunk: whole row lines, each ending with `\n`. */
export interface TRowChunk {
  bytes: Buffer;
  /** How many row lines `bytes` holds. */
  rows: number;
}

const NEWLINE = 10;
const GEAR_LABEL = 'erp-backup snapshot chunker gear v1:';
/** The mask bits live in these positions: bit k of the hash depends on the last k + 1 bytes. */
const LOWEST_MASK_BIT = 8;
const HIGHEST_MASK_BIT = 31;

function gearTable(): Int32Array {
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) table[i] = createHash('sha256').update(`${GEAR_LABEL}${i}`).digest().readInt32BE(0);
  return table;
}

const GEAR = gearTable();

/** `count` indexes spread evenly from `first` to `last` inclusive (both ends always taken). */
function spread(count: number, first: number, last: number): number[] {
  if (count === 1) return [last];
  return Array.from({ length: count }, (_, k) => first + Math.round((k * (last - first)) / (count - 1)));
}

/** The strict and loose masks for an average size (see the module comment). */
export function chunkMasks(avgBytes: number): { strict: number; loose: number } {
  const bits = Math.round(Math.log2(avgBytes));
  const positions = spread(bits + 2, LOWEST_MASK_BIT, HIGHEST_MASK_BIT);
  const loosePositions = spread(bits - 2, 0, positions.length - 1).map((index) => positions[index] as number);
  const mask = (list: number[]) => list.reduce((acc, bit) => acc | (1 << bit), 0);
  return { strict: mask(positions), loose: mask(loosePositions) };
}

function checkSizes(sizes: TChunkSizes): void {
  const { minBytes, avgBytes, maxBytes } = sizes;
  const bits = Math.round(Math.log2(avgBytes));
  const valid =
    [minBytes, avgBytes, maxBytes].every(Number.isSafeInteger) &&
    minBytes > 0 &&
    minBytes <= avgBytes &&
    avgBytes <= maxBytes &&
    bits - 2 >= 1 &&
    bits + 2 <= HIGHEST_MASK_BIT - LOWEST_MASK_BIT + 1;
  if (!valid) throw new BackupError('INTERNAL', `Invalid chunk sizes ${minBytes}/${avgBytes}/${maxBytes}`);
}

/** The hash after the last byte `scan` hashed (a module variable, so the hot loop returns one number). */
let scanned = 0;

/** The first index in `[from, to)` where the gear hash, continued from `hash`, has no bit of `mask` set; -1 if none. */
function scan(bytes: Uint8Array, from: number, to: number, hash: number, mask: number): number {
  const gear = GEAR;
  let h = hash;
  for (let at = from; at < to; at++) {
    h = ((h << 1) + (gear[bytes[at] as number] as number)) | 0;
    if ((h & mask) === 0) {
      scanned = h;
      return at;
    }
  }
  scanned = h;
  return -1;
}

/** How many `\n` bytes `bytes[from, to)` holds. */
function countLines(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE, from); at !== -1 && at < to; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/**
 * Cuts one model's row lines into content-defined chunks (the algorithm is
 * in this module's comment). Feed the rows in order with `push`, then call
 * `finish`; one chunker per model. The chunks do not depend on how the rows
 * were grouped into pushes.
 *
 * The chunker keeps views of the pushed buffers until their chunk is
 * complete (a chunk made of one push's bytes is a view, not a copy): do not
 * modify a buffer after pushing it.
 */
export class RowChunker {
  readonly #min: number;
  readonly #avg: number;
  readonly #max: number;
  readonly #strict: number;
  readonly #loose: number;
  /** The pending chunk's bytes so far, as views of earlier pushes. */
  #parts: Uint8Array[] = [];
  #size = 0;
  #rows = 0;
  #hash = 0;

  constructor(sizes: TChunkSizes = CHUNK_SIZES) {
    checkSizes(sizes);
    this.#min = sizes.minBytes;
    this.#avg = sizes.avgBytes;
    this.#max = sizes.maxBytes;
    ({ strict: this.#strict, loose: this.#loose } = chunkMasks(sizes.avgBytes));
  }

  /** Feeds a buffer of whole row lines (each ending with '\n'); returns the chunks it completed, in order. */
  push(lines: Uint8Array): TRowChunk[] {
    const length = lines.length;
    if (length === 0) return [];
    if (lines[length - 1] !== NEWLINE) throw new BackupError('INTERNAL', 'The chunker was given rows that do not end with a whole line');
    const chunks: TRowChunk[] = [];
    /** Where the pending chunk's bytes in `lines` begin (earlier ones are in #parts). */
    let start = 0;
    let at = 0;
    while (at < length) {
      // The pending chunk's offset of lines[at] is #size + (at - start).
      const base = this.#size - start;
      const minAt = this.#min - base;
      if (at < minAt) {
        at = minAt;
        if (at >= length) break;
      }
      const avgAt = this.#avg - base;
      const maxAt = this.#max - base;
      const end = Math.min(maxAt, length);
      // Two tight loops in a small function of their own, which V8 optimises best: this runs over every byte.
      const strictEnd = Math.min(avgAt, end);
      let cutAt = scan(lines, at, strictEnd, this.#hash, this.#strict);
      if (cutAt === -1) cutAt = scan(lines, Math.max(strictEnd, at), end, scanned, this.#loose);
      this.#hash = scanned;
      if (cutAt === -1 && end === length) break; // The pending chunk goes on in the next push.
      let cut: number;
      const rowEnd = cutAt === -1 ? -1 : lines.indexOf(NEWLINE, cutAt) + 1;
      if (cutAt !== -1 && rowEnd <= maxAt) {
        cut = rowEnd;
      } else {
        // Past maxBytes: end before the row holding the first byte past the cut point (or past maxBytes).
        const over = cutAt !== -1 ? cutAt : maxAt;
        // (lastIndexOf counts a negative index from the end, hence the guard.)
        cut = over <= start ? start : Math.max(lines.lastIndexOf(NEWLINE, over - 1) + 1, start);
        // A row longer than maxBytes from the chunk's start: it is a chunk of its own.
        if (cut === start && this.#size === 0) cut = lines.indexOf(NEWLINE, over) + 1;
      }
      chunks.push(this.#complete(lines, start, cut));
      start = cut;
      at = cut;
    }
    if (start < length) {
      this.#parts.push(lines.subarray(start));
      this.#size += length - start;
      this.#rows += countLines(lines, start, length);
    }
    return chunks;
  }

  /** Ends the model: the last chunk (may be shorter than minBytes), or null when nothing is pending. */
  finish(): TRowChunk | null {
    return this.#size === 0 ? null : this.#take();
  }

  /** The pending chunk with `lines[start, cut)` added; the next chunk starts empty. */
  #complete(lines: Uint8Array, start: number, cut: number): TRowChunk {
    if (cut > start) {
      this.#parts.push(lines.subarray(start, cut));
      this.#size += cut - start;
      this.#rows += countLines(lines, start, cut);
    }
    return this.#take();
  }

  #take(): TRowChunk {
    const parts = this.#parts;
    const only = parts[0];
    const bytes =
      parts.length === 1 && only ? Buffer.from(only.buffer, only.byteOffset, only.byteLength) : Buffer.concat(parts, this.#size);
    const chunk = { bytes, rows: this.#rows };
    this.#parts = [];
    this.#size = 0;
    this.#rows = 0;
    this.#hash = 0;
    return chunk;
  }
}
