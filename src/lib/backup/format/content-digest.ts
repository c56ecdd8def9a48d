import { hash } from 'node:crypto';
import type { TRow } from './document';

/**
 * A model's content digest (README, "File format"): the sum, modulo 2^256,
 * of SHA-256 over each row's canonical text, as 64 lowercase hex digits.
 * A row's canonical text is the UTF-8 of `JSON.stringify` of its array of
 * PostgreSQL text values (null for SQL NULL), in the table's column order:
 * exactly the line the document holds for it, without its comma.
 *
 * A sum rather than one hash over the rows in key order, because the order
 * of text keys depends on the database's collation: a drill that restores a
 * backup of an `en_US` server into an embedded (C collation) database reads
 * the same rows in another order, and the same rows must give the same
 * digest. Any changed, missing or extra row changes the sum.
 */
const ONE = Buffer.from(`${'00'.repeat(31)}01`, 'hex');

export class ContentDigest {
  private readonly sum = new Uint32Array(8);
  private count = 0;

  /** Adds one row, given as its canonical text or that text's UTF-8 bytes (the same digest). */
  addText(text: string | Uint8Array): void {
    this.add(hash('sha256', text, 'buffer'));
    this.count++;
  }

  /**
   * Takes one row out again, given as its canonical text (the sum modulo
   * 2^256 has an inverse): a snapshot's patched chunk gets its sum from its
   * base's, minus the rows the patch drops, plus those it adds.
   */
  removeText(text: string | Uint8Array): void {
    const value = hash('sha256', text, 'buffer');
    // Two's complement: adding 2^256 - value subtracts value.
    for (let byte = 0; byte < 32; byte++) value[byte] = ~(value[byte] as number) & 0xff;
    this.add(value);
    this.add(ONE);
    this.count--;
  }

  addRow(row: TRow): void {
    this.addText(rowText(row));
  }

  /**
   * Adds another digest's rows (its `sumBytes()` and row count): the sum is
   * order-free, so workers can each digest a block of rows and the parts add
   * up to the digest of the whole model.
   */
  addSum(sum: Uint8Array, rows: number): void {
    this.add(Buffer.from(sum.buffer, sum.byteOffset, sum.byteLength));
    this.count += rows;
  }

  /** Adds a 256-bit big-endian number to the sum, modulo 2^256. */
  private add(value: Buffer): void {
    let carry = 0;
    for (let word = 7; word >= 0; word--) {
      const total = (this.sum[word] ?? 0) + value.readUInt32BE(word * 4) + carry;
      this.sum[word] = total >>> 0;
      carry = total > 0xffffffff ? 1 : 0;
    }
  }

  /** The sum as 32 bytes (big-endian), to hand to `addSum` of another digest. */
  sumBytes(): Uint8Array {
    const bytes = Buffer.alloc(32);
    for (let word = 0; word < 8; word++) bytes.writeUInt32BE(this.sum[word] ?? 0, word * 4);
    return bytes;
  }

  /** Rows added so far. */
  get rows(): number {
    return this.count;
  }

  hex(): string {
    return Array.from(this.sum, (word) => word.toString(16).padStart(8, '0')).join('');
  }
}

/** A row's canonical text: the JSON line the document writer writes for it. */
export function rowText(row: TRow): string {
  return JSON.stringify(row);
}

/** The digest of a model with no rows (the sum of nothing). */
export const EMPTY_DIGEST = '0'.repeat(64);
