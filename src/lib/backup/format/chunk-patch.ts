import { BackupError } from '../errors/errors';

/**
 * A chunk stored as a patch against the previous version of its rows
 * (README, "Snapshots"): a school day changes a few rows in many chunks, and
 * storing each such chunk whole again would store a megabyte per changed
 * row. A patch names the parent's rows it keeps, in runs, and holds only the
 * rows that are new. Its plaintext, gzipped and sealed like any chunk:
 *
 *   erp-backup chunk patch v1\n
 *   = <from> <count>\n            keep `count` row lines of the parent from line `from` (0-based)
 *   + <count>\n<count row lines>  insert these row lines
 *
 * Applying the operations in order gives the chunk's row lines exactly; the
 * reader checks the result against the chunk's id (its HMAC), so a patch
 * applied to the wrong parent is refused like a damaged chunk.
 */
const MAGIC = 'erp-backup chunk patch v1\n';
const NEWLINE = 10;

/** Offsets of each row line's start, plus the end: line i is `[starts[i], starts[i + 1])`. */
function lineStarts(rows: Buffer): number[] {
  const starts = [0];
  for (let at = rows.indexOf(NEWLINE); at !== -1; at = rows.indexOf(NEWLINE, at + 1)) starts.push(at + 1);
  if (starts[starts.length - 1] !== rows.length) throw new BackupError('INTERNAL', 'Chunk rows must end with a whole line');
  return starts;
}

/** The patch between two versions of a chunk's rows, and the row lines it drops and adds. */
export interface TRowDiff {
  patch: Buffer;
  /** Lines of the parent the patch does not keep (each `[…],\n`). */
  removed: Buffer[];
  /** Lines the patch inserts. */
  inserted: Buffer[];
}

/** FNV-1a (32-bit) of `bytes[from, to)`: a cheap first test of line equality, confirmed byte by byte. */
function lineHash(bytes: Buffer, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let at = from; at < to; at++) hash = Math.imul(hash ^ (bytes[at] as number), 0x01000193);
  return hash >>> 0;
}

/**
 * The patch that turns `parent`'s row lines into `next`'s. Rows are matched
 * by their whole line (a row's line holds its key, so an updated row is a
 * new line and a kept row an identical one). Lines are found by a hash of
 * their bytes and confirmed by comparing them, with no string made per row.
 */
export function diffRowLines(parent: Buffer, next: Buffer): TRowDiff {
  const parentStarts = lineStarts(parent);
  const parentLines = parentStarts.length - 1;
  const linesByHash = new Map<number, number | number[]>();
  for (let line = 0; line < parentLines; line++) {
    const hash = lineHash(parent, parentStarts[line] as number, parentStarts[line + 1] as number);
    const known = linesByHash.get(hash);
    if (known === undefined) linesByHash.set(hash, line);
    else if (typeof known === 'number') linesByHash.set(hash, [known, line]);
    else known.push(line);
  }
  const sameAs = (line: number, start: number, end: number) =>
    next.compare(parent, parentStarts[line], parentStarts[line + 1], start, end) === 0;
  const find = (start: number, end: number): number | undefined => {
    const candidates = linesByHash.get(lineHash(next, start, end));
    if (candidates === undefined) return undefined;
    if (typeof candidates === 'number') return sameAs(candidates, start, end) ? candidates : undefined;
    return candidates.find((line) => sameAs(line, start, end));
  };
  const nextStarts = lineStarts(next);
  const kept = new Uint8Array(parentLines);
  const parts: (string | Buffer)[] = [MAGIC];
  const inserted: Buffer[] = [];
  let keepFrom = -1;
  let keepCount = 0;
  let insertFrom = -1;
  let insertCount = 0;
  const flushKeep = () => {
    if (keepCount > 0) parts.push(`= ${keepFrom} ${keepCount}\n`);
    keepCount = 0;
  };
  const flushInsert = (end: number) => {
    if (insertCount > 0) parts.push(`+ ${insertCount}\n`, next.subarray(nextStarts[insertFrom], nextStarts[end]));
    insertCount = 0;
  };
  for (let line = 0; line + 1 < nextStarts.length; line++) {
    const [start, end] = [nextStarts[line] as number, nextStarts[line + 1] as number];
    const match = find(start, end);
    if (match === undefined) {
      flushKeep();
      if (insertCount === 0) insertFrom = line;
      insertCount++;
      inserted.push(next.subarray(start, end));
    } else {
      kept[match] = 1;
      flushInsert(line);
      if (keepCount > 0 && match === keepFrom + keepCount) keepCount++;
      else {
        flushKeep();
        keepFrom = match;
        keepCount = 1;
      }
    }
  }
  flushKeep();
  flushInsert(nextStarts.length - 1);
  const removed: Buffer[] = [];
  for (let line = 0; line < parentLines; line++) if (!kept[line]) removed.push(parent.subarray(parentStarts[line], parentStarts[line + 1]));
  const patch = Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));
  return { patch, removed, inserted };
}

function corrupt(detail: string): BackupError {
  return new BackupError('CORRUPT', `A snapshot chunk's patch is damaged: ${detail}`);
}

/** Row lines as places in buffers: line i is `sources[source[i]]` from `start[i]` to `end[i]`. */
interface TLinePlaces {
  source: number[];
  start: number[];
  end: number[];
}

/** The row lines `patch` (diffRowLines) makes of `parent`'s. */
export function applyRowPatch(parent: Buffer, patch: Buffer): Buffer {
  return applyRowPatches(parent, [patch]);
}

/**
 * The row lines a chain of patches makes of `base`'s, each patch applied to
 * the lines the one before it made. The lines in between are only places in
 * the base and the patches: a long chain copies each row once, at the end,
 * instead of a megabyte per link.
 */
export function applyRowPatches(base: Buffer, patches: readonly Buffer[]): Buffer {
  const sources = [base, ...patches];
  const starts = lineStarts(base);
  let lines: TLinePlaces = { source: [], start: starts.slice(0, -1), end: starts.slice(1) };
  lines.source = lines.start.map(() => 0);
  for (const [index, patch] of patches.entries()) lines = applyToPlaces(lines, patch, index + 1);
  let total = 0;
  for (let line = 0; line < lines.start.length; line++) total += (lines.end[line] as number) - (lines.start[line] as number);
  const out = Buffer.allocUnsafe(total);
  let at = 0;
  for (let line = 0; line < lines.start.length; line++)
    at += (sources[lines.source[line] as number] as Buffer).copy(out, at, lines.start[line], lines.end[line]);
  return out;
}

/** One patch's operations applied to the places of its parent's lines; `patchSource` is the patch's index among the sources. */
function applyToPlaces(parent: TLinePlaces, patch: Buffer, patchSource: number): TLinePlaces {
  if (patch.toString('latin1', 0, MAGIC.length) !== MAGIC) throw corrupt('it does not start with the patch header');
  const parentLines = parent.start.length;
  const out: TLinePlaces = { source: [], start: [], end: [] };
  let at = MAGIC.length;
  while (at < patch.length) {
    const end = patch.indexOf(NEWLINE, at);
    if (end === -1) throw corrupt('an operation is cut short');
    const operation = /^(=) (\d+) (\d+)$|^(\+) (\d+)$/.exec(patch.toString('latin1', at, end));
    if (!operation) throw corrupt('an operation is not one of the format');
    at = end + 1;
    if (operation[1] === '=') {
      const from = Number(operation[2]);
      const count = Number(operation[3]);
      if (count === 0 || from + count > parentLines) throw corrupt('it keeps rows its parent does not have');
      for (let line = from; line < from + count; line++) {
        out.source.push(parent.source[line] as number);
        out.start.push(parent.start[line] as number);
        out.end.push(parent.end[line] as number);
      }
    } else {
      for (let count = Number(operation[5]); count > 0; count--) {
        const lineEnd = patch.indexOf(NEWLINE, at);
        if (lineEnd === -1) throw corrupt('an inserted row is cut short');
        out.source.push(patchSource);
        out.start.push(at);
        out.end.push(lineEnd + 1);
        at = lineEnd + 1;
      }
    }
  }
  return out;
}
