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

/**
 * The patch that turns `parent`'s row lines into `next`'s. Rows are matched
 * by their whole line (a row's line holds its key, so an updated row is a
 * new line and a kept row an identical one).
 */
export function diffRowLines(parent: Buffer, next: Buffer): Buffer {
  const parentStarts = lineStarts(parent);
  const lineAt = new Map<string, number>();
  for (let line = 0; line + 1 < parentStarts.length; line++)
    lineAt.set(parent.toString('latin1', parentStarts[line], parentStarts[line + 1]), line);
  const nextStarts = lineStarts(next);
  const parts: (string | Buffer)[] = [MAGIC];
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
    const kept = lineAt.get(next.toString('latin1', nextStarts[line], nextStarts[line + 1]));
    if (kept === undefined) {
      flushKeep();
      if (insertCount === 0) insertFrom = line;
      insertCount++;
    } else {
      flushInsert(line);
      if (keepCount > 0 && kept === keepFrom + keepCount) keepCount++;
      else {
        flushKeep();
        keepFrom = kept;
        keepCount = 1;
      }
    }
  }
  flushKeep();
  flushInsert(nextStarts.length - 1);
  return Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : part)));
}

function corrupt(detail: string): BackupError {
  return new BackupError('CORRUPT', `A snapshot chunk's patch is damaged: ${detail}`);
}

/** The row lines `patch` (diffRowLines) makes of `parent`'s. */
export function applyRowPatch(parent: Buffer, patch: Buffer): Buffer {
  if (patch.toString('latin1', 0, MAGIC.length) !== MAGIC) throw corrupt('it does not start with the patch header');
  const parentStarts = lineStarts(parent);
  const parentLines = parentStarts.length - 1;
  const out: Buffer[] = [];
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
      out.push(parent.subarray(parentStarts[from], parentStarts[from + count]));
    } else {
      let count = Number(operation[5]);
      const start = at;
      for (; count > 0; count--) {
        const lineEnd = patch.indexOf(NEWLINE, at);
        if (lineEnd === -1) throw corrupt('an inserted row is cut short');
        at = lineEnd + 1;
      }
      out.push(patch.subarray(start, at));
    }
  }
  return Buffer.concat(out);
}
