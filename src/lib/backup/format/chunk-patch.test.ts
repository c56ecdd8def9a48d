import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { prng } from '@/test/prng';
import { BackupError } from '../errors/errors';
import { applyRowPatch, applyRowPatches, diffRowLines } from './chunk-patch';
import { packChangedChunk, packChunk } from './codec-tasks';
import { ContentDigest } from './content-digest';

const line = (id: number, note: string) => `${JSON.stringify([String(id), 'PRESENT', note, null])},\n`;
const rowsOf = (lines: string[]) => Buffer.from(lines.join(''));

/** A chunk's row lines and a day of edits to them: some updated, some deleted, some inserted between. */
function versions(seed: number): { parent: string[]; next: string[] } {
  const rand = prng(seed);
  const parent = Array.from({ length: 200 + Math.floor(rand() * 300) }, (_, index) => line(index * 10, `note ${rand()}`));
  const next: string[] = [];
  for (const [index, row] of parent.entries()) {
    const dice = rand();
    if (dice < 0.03) continue; // deleted
    next.push(dice < 0.08 ? line(index * 10, `corrected ${rand()} ünïcode`) : row);
    if (rand() < 0.02) next.push(line(index * 10 + 5, `inserted ${rand()}`));
  }
  return { parent, next };
}

/** The content digest of row lines (each without its `,\n`). */
function digestOf(lines: string[]): ContentDigest {
  const digest = new ContentDigest();
  for (const row of lines) digest.addText(row.slice(0, -2));
  return digest;
}

describe('chunk patches', () => {
  it('rebuild the next rows exactly from the parent, for random days of edits', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { parent, next } = versions(seed);
      const diff = diffRowLines(rowsOf(parent), rowsOf(next));
      expect(applyRowPatch(rowsOf(parent), diff.patch).equals(rowsOf(next))).toBe(true);
      // Only what changed travels: the patch is a small part of the rows.
      expect(diff.patch.length).toBeLessThan(rowsOf(next).length / 4);
      expect(diff.removed.map(String)).toEqual(parent.filter((row) => !next.includes(row)));
      expect(diff.inserted.map(String)).toEqual(next.filter((row) => !parent.includes(row)));
    }
  });

  it('rebuild the last version from the base through a whole chain of patches at once', () => {
    const rand = prng(41);
    const chain = [Array.from({ length: 400 }, (_, index) => line(index * 10, `note ${rand()}`))];
    for (let day = 1; day <= 12; day++) {
      const previous = chain.at(-1) as string[];
      const next = previous.flatMap((row, index) => {
        const dice = rand();
        if (dice < 0.02) return [];
        if (dice < 0.06) return [line(index * 10, `day ${day} ${rand()}`)];
        return dice < 0.08 ? [row, line(index * 10 + day, `added on day ${day}`)] : [row];
      });
      chain.push(next);
    }
    const patches = chain.slice(1).map((rows, index) => diffRowLines(rowsOf(chain[index] as string[]), rowsOf(rows)).patch);
    expect(applyRowPatches(rowsOf(chain[0] as string[]), patches).equals(rowsOf(chain.at(-1) as string[]))).toBe(true);
    expect(applyRowPatches(rowsOf(chain[0] as string[]), []).equals(rowsOf(chain[0] as string[]))).toBe(true);
  });

  it('give the next rows’ digest from the parent’s, minus the rows dropped, plus the rows added', () => {
    const { parent, next } = versions(11);
    const diff = diffRowLines(rowsOf(parent), rowsOf(next));
    const digest = new ContentDigest();
    digest.addSum(digestOf(parent).sumBytes(), parent.length);
    for (const row of diff.removed) digest.removeText(row.subarray(0, row.length - 2));
    for (const row of diff.inserted) digest.addText(row.subarray(0, row.length - 2));
    expect(digest.hex()).toBe(digestOf(next).hex());
    expect(digest.rows).toBe(next.length);
  });

  it('handle the edges: identical rows, everything new, an empty side, rows whose hashes collide', () => {
    const rows = [line(1, 'a'), line(2, 'b'), line(3, 'c')];
    const cases: [string[], string[]][] = [
      [rows, rows],
      [rows, [line(7, 'x'), line(8, 'y')]],
      [rows, []],
      [[], rows],
      // The same line twice in the parent (never in a real chunk, whose rows are unique): either copy serves.
      [[line(1, 'a'), line(1, 'a')], [line(1, 'a')]],
    ];
    for (const [parent, next] of cases) {
      const diff = diffRowLines(rowsOf(parent), rowsOf(next));
      expect(applyRowPatch(rowsOf(parent), diff.patch).equals(rowsOf(next))).toBe(true);
    }
    expect(diffRowLines(rowsOf(rows), rowsOf(rows)).patch.toString()).toBe('erp-backup chunk patch v1\n= 0 3\n');
  });

  it('refuse a damaged patch or one applied to the wrong parent as CORRUPT', () => {
    const { parent, next } = versions(21);
    const { patch } = diffRowLines(rowsOf(parent), rowsOf(next));
    const damaged = [
      Buffer.from('not a patch\n'),
      Buffer.concat([patch, Buffer.from('= 100000 5\n')]),
      Buffer.concat([patch, Buffer.from('+ 3\n["only one row"],\n')]),
      Buffer.concat([patch, Buffer.from('? 1 2\n')]),
    ];
    for (const bytes of damaged) {
      let failure: unknown;
      try {
        applyRowPatch(rowsOf(parent), bytes);
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(BackupError);
      expect((failure as BackupError).code).toBe('CORRUPT');
    }
    expect(() => applyRowPatch(rowsOf(parent.slice(0, 10)), patch)).toThrow(/keeps rows its parent does not have/);
  });

  it('pack a changed chunk as a patch when it is small, else whole, with the digest of its rows either way', () => {
    const { parent, next } = versions(31);
    const sumOf = (rows: Buffer) => Buffer.from(packChunk({ rows, gzipLevel: null }).digestSum).toString('hex');
    const input = (rows: Buffer) => ({
      rows,
      base: rowsOf(parent),
      baseSum: sumOf(rowsOf(parent)),
      baseRows: parent.length,
      gzipLevel: 6,
    });
    const patched = packChangedChunk(input(rowsOf(next)));
    expect(patched.stored).toBe('patch');
    expect(applyRowPatch(rowsOf(parent), gunzipSync(patched.gz)).equals(rowsOf(next))).toBe(true);
    expect(Buffer.from(patched.digestSum).toString('hex')).toBe(sumOf(rowsOf(next)));
    expect(patched.rows).toBe(next.length);

    const rewritten = next.map((row, index) => (index % 2 === 0 ? line(100_000 + index, 'rewritten') : row));
    const whole = packChangedChunk(input(rowsOf(rewritten)));
    expect(whole.stored).toBe('whole');
    expect(gunzipSync(whole.gz).equals(rowsOf(rewritten))).toBe(true);
    expect(Buffer.from(whole.digestSum).toString('hex')).toBe(sumOf(rowsOf(rewritten)));
  });
});
