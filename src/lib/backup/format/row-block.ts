import { BackupError } from '../errors/errors';
import type { TRow } from './document';

/**
 * A block of a model's row lines exactly as the document holds them: whole
 * lines, each `[…]` followed by `,` (every row but the model's last) and a
 * newline. The reader cuts the decompressed document into such blocks
 * without parsing them; this is where their grammar is checked and their
 * rows parsed, on the main thread (verify) or in a codec worker (restore).
 */
export interface TRowBlock {
  model: string;
  /** UTF-8 bytes of whole row lines, each ending with `\n`. */
  lines: Uint8Array;
  /** The header's column count for the model: every row has exactly this many values. */
  columnCount: number;
  /** The block ends the model's rows: its last line may go without the separating comma. */
  endsModel: boolean;
}

function corrupt(detail: string): BackupError {
  return new BackupError('CORRUPT', `The backup's content is not a valid backup document (${detail})`);
}

function isRow(value: unknown[], columnCount: number): value is TRow {
  if (value.length !== columnCount) return false;
  for (const item of value) if (item !== null && typeof item !== 'string') return false;
  return true;
}

/** The rows of a block, in order; CORRUPT (naming the model) if a line is not a row of the header's width. */
export function parseRowBlock(block: TRowBlock): TRow[] {
  const text = Buffer.from(block.lines.buffer, block.lines.byteOffset, block.lines.byteLength).toString('utf8');
  const rows: TRow[] = [];
  for (let start = 0; start < text.length; ) {
    const end = text.indexOf('\n', start);
    if (end === -1) throw new BackupError('INTERNAL', `A block of ${block.model} rows ended inside a row`);
    const isLastLine = end === text.length - 1;
    const hasComma = text.charCodeAt(end - 1) === 44; // ','
    // Only the model's last row goes without a comma: a row after one without it is out of place.
    if (!hasComma && !(isLastLine && block.endsModel)) throw corrupt(`the rows of ${block.model} do not end where expected`);
    let row: unknown;
    try {
      row = JSON.parse(text.slice(start, hasComma ? end - 1 : end));
    } catch {
      throw corrupt(`a row of ${block.model} is not valid JSON`);
    }
    if (!Array.isArray(row)) throw corrupt(`a row of ${block.model} is not valid JSON`);
    if (!isRow(row, block.columnCount)) {
      throw corrupt(
        row.length !== block.columnCount
          ? `a row of ${block.model} has ${row.length} values for ${block.columnCount} columns`
          : `a row of ${block.model} holds a value that is neither text nor null`,
      );
    }
    rows.push(row);
    start = end + 1;
  }
  return rows;
}
