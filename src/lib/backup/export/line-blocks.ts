import { BackupError } from '../errors/errors';

const NEWLINE = 0x0a;

/**
 * Gathers the small chunks a COPY stream delivers into blocks of whole COPY
 * lines of about `blockBytes`: a codec worker converts a block at a time,
 * and small blocks would cost more in messages than they save. COPY escapes
 * a newline inside a value (`\n`), so every raw newline ends a row and a
 * block cut after one holds whole rows. Each block is a buffer of its own,
 * so it can be transferred to a worker thread, not copied.
 */
export class LineBlocks {
  private chunks: Uint8Array[] = [];
  private bytes = 0;

  constructor(private readonly blockBytes: number) {}

  /** Adds a chunk; returns a block once at least `blockBytes` are gathered (the rest waits for the next). */
  push(chunk: Uint8Array): Uint8Array | null {
    if (chunk.length === 0) return null;
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    return this.bytes >= this.blockBytes ? this.cut() : null;
  }

  /** The last block, once the stream has ended: it must end with a whole row. */
  finish(): Uint8Array | null {
    if (this.bytes === 0) return null;
    const last = this.chunks[this.chunks.length - 1] as Uint8Array;
    if (last[last.length - 1] !== NEWLINE) throw new BackupError('INTERNAL', 'The COPY output of a table ended inside a row');
    return this.cut();
  }

  /** Everything up to the last newline gathered, in one new buffer; null while no row is complete (a row longer than a block). */
  private cut(): Uint8Array | null {
    for (let index = this.chunks.length - 1; index >= 0; index--) {
      const chunk = this.chunks[index] as Uint8Array;
      const at = chunk.lastIndexOf(NEWLINE);
      if (at === -1) continue;
      const head = this.chunks.slice(0, index);
      const size = head.reduce((sum, piece) => sum + piece.length, 0) + at + 1;
      const block = new Uint8Array(size);
      let offset = 0;
      for (const piece of head) {
        block.set(piece, offset);
        offset += piece.length;
      }
      block.set(chunk.subarray(0, at + 1), offset);
      const rest = chunk.subarray(at + 1);
      this.chunks = [...(rest.length > 0 ? [rest] : []), ...this.chunks.slice(index + 1)];
      this.bytes -= size;
      return block;
    }
    return null;
  }
}

/** The rows of a block of whole COPY lines. */
export function countLines(block: Uint8Array): number {
  let count = 0;
  for (let at = block.indexOf(NEWLINE); at !== -1; at = block.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/** The last line of a block of whole COPY lines, without its newline, as text. */
export function lastLine(block: Uint8Array): string {
  const end = block.length - 1;
  // (lastIndexOf counts a negative start from the end: a one-line block starts at 0.)
  const start = end === 0 ? 0 : block.lastIndexOf(NEWLINE, end - 1) + 1;
  return Buffer.from(block.buffer, block.byteOffset + start, end - start).toString('utf8');
}
