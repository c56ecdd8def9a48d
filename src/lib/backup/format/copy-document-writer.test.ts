import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { writeDocument } from '@/test/document-writer';
import { CodecPool } from './codec-pool';
import { writeCopyDocument } from './copy-document-writer';
import { copyLine } from './copy-text';
import type { TBackupHeader, TRow } from './document';

const header: TBackupHeader = {
  createdAt: '2026-11-27T00:00:00.000Z',
  migration: null,
  database: 'PostgreSQL 15',
  models: [
    { name: 'A', table: 'A', columns: ['id', 'v'], types: ['integer', 'text'], primaryKey: ['id'], rowCount: 5 },
    { name: 'Empty', table: 'Empty', columns: ['id'], types: ['text'], primaryKey: ['id'], rowCount: 0 },
    { name: 'B', table: 'B', columns: ['id'], types: ['text'], primaryKey: ['id'], rowCount: 1 },
  ],
};

const rowsA: TRow[][] = [
  [['1', 'tab\there']],
  [
    ['2', null],
    ['3', '\\N'],
  ],
  [
    ['4', 'ü😀\nline'],
    ['5', ''],
  ],
];
const rowsB: TRow[][] = [[['b"1']]];

async function* blocksOf(pages: TRow[][]) {
  for (const page of pages) yield new Uint8Array(Buffer.from(page.map(copyLine).join('')));
}

async function* pagesOf(pages: TRow[][]) {
  yield* pages;
}

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

const pool = new CodecPool({ size: 2 });
afterAll(() => pool.close());

describe('the COPY document writer', () => {
  it('writes gzip members that are exactly the document and digests writeDocument writes, whatever the blocks in flight', async () => {
    const expectedDigests: Record<string, string> = {};
    const expected = (
      await collect(
        writeDocument(
          header,
          [
            { name: 'A', pages: pagesOf(rowsA) },
            { name: 'Empty', pages: pagesOf([]) },
            { name: 'B', pages: pagesOf(rowsB) },
          ],
          { digests: expectedDigests },
        ),
      )
    ).join('');
    for (const inFlight of [1, 2, 8]) {
      const digests: Record<string, string> = {};
      const members = await collect(
        writeCopyDocument(
          header,
          [
            { name: 'A', blocks: blocksOf(rowsA) },
            { name: 'Empty', blocks: blocksOf([]) },
            { name: 'B', blocks: blocksOf(rowsB) },
          ],
          { pool, inFlight, digests },
        ),
      );
      expect(gunzipSync(Buffer.concat(members)).toString('utf8')).toBe(expected);
      expect(digests).toEqual(expectedDigests);
    }
  });

  it('fails with the worker’s error when a block cannot be converted', async () => {
    async function* broken() {
      yield new Uint8Array(Buffer.from('1\tok\n'));
      yield new Uint8Array(Buffer.from('2\tcut short'));
    }
    const document = writeCopyDocument(header, [{ name: 'A', blocks: broken() }], { pool });
    await expect(collect(document)).rejects.toThrow('ended inside a row');
  });
});
