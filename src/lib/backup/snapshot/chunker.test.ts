import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prng } from '@/test/prng';
import { CHUNK_SIZES, chunkMasks, RowChunker, type TChunkSizes, type TRowChunk } from './chunker';

/**
 * Property tests of the snapshot chunker on seeded, realistic row lines
 * (JSON arrays of strings and nulls, 30–600 bytes, timestamps and statuses
 * that many rows share). Most properties run at small sizes, so a couple of
 * MiB of rows make a hundred chunks; one test runs the format's real sizes.
 */

const SMALL: TChunkSizes = { minBytes: 4 * 1024, avgBytes: 16 * 1024, maxBytes: 64 * 1024 };
const SEEDS = Array.from({ length: 12 }, (_, i) => i + 1);

const WORDS = ['Amina', 'Jonas', 'Grade 7', 'Mathematics', 'present', 'absent', 'late', 'Room 12', 'paid', 'fee', 'term 2', 'Lagos'];
const STATUSES = ['PRESENT', 'ABSENT', 'LATE', 'EXCUSED'];

/** One row line as the document writes it: `[…],\n`, about 30–600 bytes. */
function rowLine(rand: () => number, id: number): string {
  const day = 1 + Math.floor(rand() * 28);
  // Many rows of a day share their timestamp: long common suffixes, as in real tables.
  const stamp = `2026-09-${String(day).padStart(2, '0')}T07:30:00.000Z`;
  const values: (string | null)[] = [String(id), STATUSES[Math.floor(rand() * STATUSES.length)] as string, stamp];
  const width = 30 + Math.floor(rand() ** 2 * 540);
  let text = '';
  while (text.length < width - 60) text += `${WORDS[Math.floor(rand() * WORDS.length)]} ${Math.floor(rand() * 1000)} `;
  values.push(rand() < 0.2 ? null : text.slice(0, Math.max(0, width - 60)));
  values.push(rand() < 0.5 ? null : stamp);
  return `${JSON.stringify(values)},\n`;
}

function makeRows(seed: number, bytes: number, firstId = 1): string[] {
  const rand = prng(seed);
  const rows: string[] = [];
  for (let size = 0, id = firstId; size < bytes; id++) {
    const row = rowLine(rand, id);
    rows.push(row);
    size += row.length;
  }
  return rows;
}

/** Chunks `rows`, pushed in groups of the given row counts (cycled), or all at once. */
function chunkRows(rows: string[], sizes: TChunkSizes, groups?: number[]): TRowChunk[] {
  const chunker = new RowChunker(sizes);
  const chunks: TRowChunk[] = [];
  if (!groups) chunks.push(...chunker.push(Buffer.from(rows.join(''))));
  else
    for (let at = 0, g = 0; at < rows.length; g++) {
      const count = groups[g % groups.length] as number;
      chunks.push(...chunker.push(Buffer.from(rows.slice(at, at + count).join(''))));
      at += count;
    }
  const last = chunker.finish();
  if (last) chunks.push(last);
  return chunks;
}

const key = (chunk: TRowChunk) => createHash('sha256').update(chunk.bytes).digest('hex');

/** Chunks of `after` whose bytes are not among `before`'s: what a snapshot would store anew. */
function fresh(before: TRowChunk[], after: TRowChunk[]): number {
  const known = new Set(before.map(key));
  return after.filter((chunk) => !known.has(key(chunk))).length;
}

/**
 * How two chunk lists differ: the chunks they share at the start and at the
 * end, and how many chunks lie between (in `after`: new, in `before`: gone).
 */
function compare(before: TRowChunk[], after: TRowChunk[]): { common: { prefix: number; suffix: number }; fresh: number; gone: number } {
  const a = before.map(key);
  const b = after.map(key);
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return { common: { prefix, suffix }, fresh: b.length - prefix - suffix, gone: a.length - prefix - suffix };
}

function lines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) count++;
  return count;
}

/** The invariants every chunk list holds: see the module comment of chunker.ts. */
function expectWellFormed(rows: string[], chunks: TRowChunk[], sizes: TChunkSizes): void {
  expect(Buffer.concat(chunks.map((chunk) => chunk.bytes)).equals(Buffer.from(rows.join('')))).toBe(true);
  expect(chunks.reduce((sum, chunk) => sum + chunk.rows, 0)).toBe(rows.length);
  chunks.forEach((chunk, index) => {
    expect(chunk.bytes.at(-1)).toBe(10);
    expect(chunk.rows).toBe(lines(chunk.bytes));
    const next = chunks[index + 1];
    if (chunk.bytes.length > sizes.maxBytes) expect(chunk.rows).toBe(1);
    if (next && chunk.bytes.length < sizes.minBytes) {
      // Only a row too big to fit may end a chunk early.
      const nextRow = next.bytes.indexOf(10) + 1;
      expect(chunk.bytes.length + nextRow).toBeGreaterThan(sizes.maxBytes);
    }
  });
}

describe('RowChunker', () => {
  it('cuts whole rows within the size bounds, and the chunks add up to the input', () => {
    for (const seed of SEEDS) {
      const rows = makeRows(seed, 2 * 1024 * 1024);
      const chunks = chunkRows(rows, SMALL);
      expectWellFormed(rows, chunks, SMALL);
      expect(chunks.length).toBeGreaterThan(50);
    }
  });

  it('holds the bounds around rows bigger than a chunk (cut before them; each alone)', () => {
    const sizes: TChunkSizes = { minBytes: 1024, avgBytes: 4096, maxBytes: 8192 };
    for (const seed of SEEDS) {
      const rand = prng(seed + 1000);
      const rows = makeRows(seed, 512 * 1024).map((row) =>
        rand() < 0.02 ? `${JSON.stringify(['big', 'x'.repeat(2000 + Math.floor(rand() * 12000))])},\n` : row,
      );
      const chunks = chunkRows(rows, sizes);
      expectWellFormed(rows, chunks, sizes);
      expect(chunks.some((chunk) => chunk.bytes.length > sizes.maxBytes)).toBe(true);
      expect(chunkRows(rows, sizes, [1]).map(key)).toEqual(chunks.map(key));
      expect(chunkRows(rows, sizes, [7, 1, 40]).map(key)).toEqual(chunks.map(key));
    }
  });

  it('gives the same chunks however the rows are grouped into pushes', () => {
    for (const seed of SEEDS) {
      const rows = makeRows(seed, 1024 * 1024);
      const whole = chunkRows(rows, SMALL).map(key);
      const rand = prng(seed + 2000);
      const random = Array.from({ length: 64 }, () => 1 + Math.floor(rand() ** 3 * 400));
      expect(chunkRows(rows, SMALL, [1]).map(key)).toEqual(whole);
      expect(chunkRows(rows, SMALL, random).map(key)).toEqual(whole);
      expect(chunkRows(rows, SMALL, [3, 500, 17]).map(key)).toEqual(whole);
    }
  });

  it('changes only the last chunk when rows are appended', () => {
    for (const seed of SEEDS) {
      const rows = makeRows(seed, 1024 * 1024);
      const before = chunkRows(rows, SMALL);
      const after = chunkRows([...rows, ...makeRows(seed + 3000, 20_000, rows.length + 1)], SMALL);
      expect(after.slice(0, before.length - 1).map(key)).toEqual(before.slice(0, -1).map(key));
    }
  });

  it('keeps every chunk before an inserted or updated row, and falls back in step within a chunk or two', () => {
    const counts: number[] = [];
    for (const seed of SEEDS) {
      const rows = makeRows(seed, 2 * 1024 * 1024);
      const before = chunkRows(rows, SMALL);
      const rand = prng(seed + 4000);
      let total = 0;
      const ends = before.map((chunk) => (total += chunk.bytes.length));
      for (let trial = 0; trial < 12; trial++) {
        const position = Math.floor(rand() * rows.length);
        const old = rows[position] as string;
        // An inserted row; a row updated to the same length (a status swapped) or to another length.
        const changed =
          trial % 3 === 0
            ? [...rows.slice(0, position), rowLine(rand, 999_999), ...rows.slice(position)]
            : rows.with(
                position,
                trial % 3 === 1 ? old.replace(/"(PRESENT|ABSENT|LATE|EXCUSED)"/, '"XXXXXXX"') : rowLine(rand, position + 1),
              );
        const after = chunkRows(changed, SMALL);
        const offset = rows.slice(0, position).join('').length;
        const { common, fresh, gone } = compare(before, after);
        // Every chunk that ends before the change is the same (its bytes, hence its boundary, are).
        expect(common.prefix).toBeGreaterThanOrEqual(ends.filter((end) => end <= offset).length);
        // The change's chunk differs, then the lists fall back in step: the rest is the same chunks.
        expect(fresh).toBeGreaterThanOrEqual(1);
        expect(gone).toBeGreaterThanOrEqual(1);
        counts.push(fresh);
      }
    }
    // Mostly 1 chunk, sometimes 2. More is possible and rare: a boundary depends on the chunk's start (the
    // skipped minBytes, the mask switch at avgBytes), so a chunk starting off the old boundaries (the change
    // made a new cut point) may pick a different cut again before the lists meet. Smaller in the real
    // sizes, where a row is a far smaller part of a chunk than here.
    const atMostTwo = counts.filter((count) => count <= 2).length / counts.length;
    const mean = counts.reduce((sum, count) => sum + count, 0) / counts.length;
    expect(atMostTwo).toBeGreaterThanOrEqual(0.95);
    expect(mean).toBeLessThan(1.3);
  });

  it('keeps most chunks when 50 rows are deleted (at most 2 new chunks per deletion)', () => {
    for (const seed of SEEDS.slice(0, 6)) {
      const rows = makeRows(seed, 4 * 1024 * 1024);
      const before = chunkRows(rows, SMALL);
      const rand = prng(seed + 6000);
      const deleted = new Set<number>();
      while (deleted.size < 50) deleted.add(Math.floor(rand() * rows.length));
      const after = chunkRows(
        rows.filter((_, index) => !deleted.has(index)),
        SMALL,
      );
      const changed = fresh(before, after);
      expect(changed).toBeLessThanOrEqual(2 * deleted.size);
      expect(after.length - changed).toBeGreaterThan(after.length / 2);
    }
  });

  it('cuts the same boundaries as every earlier version (the format depends on it)', () => {
    const sizes = chunkRows(makeRows(42, 512 * 1024), SMALL).map((chunk) => chunk.bytes.length);
    const { strict, loose } = chunkMasks(CHUNK_SIZES.avgBytes);
    expect([(strict >>> 0).toString(16), (loose >>> 0).toString(16)]).toEqual(GOLDEN_MASKS);
    expect(createHash('sha256').update(sizes.join(',')).digest('hex')).toBe(GOLDEN_BOUNDARIES);
  });

  it('averages about 1 MiB per chunk at the real sizes (on 64 MiB of rows)', () => {
    const rows = makeRows(7, 64 * 1024 * 1024);
    const chunks = chunkRows(rows, CHUNK_SIZES, [2000]);
    expectWellFormed(rows, chunks, CHUNK_SIZES);
    const average = chunks.reduce((sum, chunk) => sum + chunk.bytes.length, 0) / chunks.length / 1024 / 1024;
    console.info(`chunker: ${chunks.length} chunks, average ${average.toFixed(3)} MiB`);
    expect(average).toBeGreaterThan(0.6);
    expect(average).toBeLessThan(1.5);
    // One inserted, one updated, one deleted row: at these sizes the lists fall back in step at once.
    const rand = prng(8);
    for (const edit of ['insert', 'update', 'delete']) {
      const position = Math.floor(rand() * rows.length);
      const changed =
        edit === 'insert'
          ? [...rows.slice(0, position), rowLine(rand, 999_999), ...rows.slice(position)]
          : edit === 'update'
            ? rows.with(position, rowLine(rand, position + 1))
            : rows.toSpliced(position, 1);
      expect(compare(chunks, chunkRows(changed, CHUNK_SIZES, [2000])).fresh, edit).toBeLessThanOrEqual(2);
    }
  }, 60_000);
});

/** The real sizes' masks (22 and 18 bits); a change here is a new format version. */
const GOLDEN_MASKS = ['fdffbf00', 'edbdb700'];
/** SHA-256 of the comma-joined chunk sizes of seed 42's rows at the small sizes (changing makeRows changes it too). */
const GOLDEN_BOUNDARIES = '308620d6bd72b36f3b6c64f8858acd4f001deeb27bdf80a77aaa6b43f8c5ab16';
