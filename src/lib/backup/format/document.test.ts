import { describe, expect, it } from 'vitest';
import { writeDocument } from '@/test/document-writer';
import { BackupError } from '../errors/errors';
import { ContentDigest, EMPTY_DIGEST, rowText } from './content-digest';
import { READ_VERSIONS, type TBackupHeader, type TRow, WRITE_VERSION } from './document';
import { readDocument, readDocumentBlocks, type TDocumentEvent } from './document-reader';
import { parseRowBlock } from './row-block';

const header: TBackupHeader = {
  createdAt: '2026-11-26T00:00:00.000Z',
  migration: '20261126050203_init',
  database: 'PostgreSQL 17',
  models: [
    { name: 'A', table: 'A', columns: ['id', 'v'], types: ['integer', 'text'], primaryKey: ['id'], rowCount: 3 },
    { name: 'Empty', table: 'Empty', columns: ['id'], types: ['text'], primaryKey: ['id'], rowCount: 0 },
    { name: 'B', table: 'B', columns: ['id'], types: ['text'], primaryKey: ['id'], rowCount: 1 },
  ],
};

async function* pages(...list: TRow[][]) {
  for (const page of list) yield page;
}

async function write(rowsA: TRow[][], rowsB: TRow[][], options: Parameters<typeof writeDocument>[2] = {}): Promise<string> {
  let text = '';
  for await (const chunk of writeDocument(
    header,
    [
      { name: 'A', pages: pages(...rowsA) },
      { name: 'Empty', pages: pages() },
      { name: 'B', pages: pages(...rowsB) },
    ],
    options,
  ))
    text += chunk;
  return text;
}

/** The versions this module writes and reads in the line layout (1 is the earlier service's, read only). */
const LINE_VERSIONS = Array.from({ length: READ_VERSIONS.max - 1 }, (_, i) => i + 2);

async function read(text: string): Promise<TDocumentEvent[]> {
  const events: TDocumentEvent[] = [];
  for await (const event of readDocument([Buffer.from(text)], 2)) events.push(event);
  return events;
}

async function readError(text: string): Promise<BackupError> {
  const error = await read(text).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BackupError);
  return error as BackupError;
}

describe('backup document', () => {
  const rowsA: TRow[][] = [
    [['1', 'line\nbreak "quoted" \\ é 😀']],
    [
      ['2', null],
      ['3', ''],
    ],
  ];
  const rowsB: TRow[][] = [[['only']]];

  it('is one valid JSON document with the header first', async () => {
    const text = await write(rowsA, rowsB);
    const parsed = JSON.parse(text);
    expect(parsed.format).toBe('school-erp-backup');
    expect(parsed.version).toBe(WRITE_VERSION);
    expect(parsed.header).toEqual(header);
    expect(parsed.data.map((m: { model: string; rows: unknown[] }) => [m.model, m.rows.length])).toEqual([
      ['A', 3],
      ['Empty', 0],
      ['B', 1],
    ]);
  });

  it('reads back every row in order, in batches, with per-model ends', async () => {
    const events = await read(await write(rowsA, rowsB));
    expect(events[0]).toEqual({ kind: 'header', version: WRITE_VERSION, header });
    const rows = events.flatMap((event) => (event.kind === 'rows' ? event.rows.map((row) => [event.model, ...row]) : []));
    expect(rows).toEqual([
      ['A', '1', 'line\nbreak "quoted" \\ é 😀'],
      ['A', '2', null],
      ['A', '3', ''],
      ['B', 'only'],
    ]);
    expect(events.filter((e) => e.kind === 'model-end').map((e) => e.kind === 'model-end' && [e.model, e.rowCount])).toEqual([
      ['A', 3],
      ['Empty', 0],
      ['B', 1],
    ]);
  });

  it('reads a document split at any byte, including inside multi-byte characters', async () => {
    const bytes = Buffer.from(await write(rowsA, rowsB));
    async function* oneByteAtATime() {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const events: TDocumentEvent[] = [];
    for await (const event of readDocument(oneByteAtATime())) events.push(event);
    expect(events.filter((e) => e.kind === 'rows').flatMap((e) => (e.kind === 'rows' ? e.rows : []))).toHaveLength(4);
  });

  it("hands rows on as blocks of whole lines, only a model's last block ending it, split at any byte", async () => {
    const bytes = Buffer.from(await write(rowsA, rowsB));
    async function* oneByteAtATime() {
      for (let i = 0; i < bytes.length; i++) yield bytes.subarray(i, i + 1);
    }
    const blocksOf = async (source: Iterable<Buffer> | AsyncIterable<Buffer>) => {
      const blocks: [string, number, boolean, TRow[]][] = [];
      for await (const event of readDocumentBlocks(source, 1)) {
        if (event.kind === 'row-block') blocks.push([event.block.model, event.rows, event.block.endsModel, parseRowBlock(event.block)]);
      }
      return blocks;
    };
    // Whole: a block per line (blocks of 1 byte). A byte at a time: a block is cut only where a row is known to follow.
    expect(await blocksOf([bytes])).toEqual([
      ['A', 1, false, [['1', 'line\nbreak "quoted" \\ é 😀']]],
      ['A', 1, false, [['2', null]]],
      ['A', 1, true, [['3', '']]],
      ['B', 1, true, [['only']]],
    ]);
    const split = await blocksOf(oneByteAtATime());
    expect(split.flatMap(([model, , , rows]) => rows.map((row) => [model, ...row]))).toEqual([
      ['A', '1', 'line\nbreak "quoted" \\ é 😀'],
      ['A', '2', null],
      ['A', '3', ''],
      ['B', 'only'],
    ]);
    expect(split.filter(([, , endsModel]) => endsModel).map(([model]) => model)).toEqual(['A', 'B']);
  });

  it.each([
    ['cut short', (text: string) => text.slice(0, text.length - 10), /cut short|end of document|do not end|not valid JSON/],
    ['a row too many', (text: string) => text.replace('["only"]', '["only"],\n["extra"]'), /B has 2 rows but its header says 1/],
    ['a row with a missing column', (text: string) => text.replace('["2",null]', '["2"]'), /has 1 values for 2 columns/],
    ['data after the end', (text: string) => `${text}garbage\n`, /after the end/],
    ['an unknown opening', () => '{"hello":1}\n', /unknown opening/],
  ])('refuses a document with %s', async (_, change, message) => {
    const error = await readError(change(await write(rowsA, rowsB)));
    expect(error.message).toMatch(message);
  });

  it('refuses versions it does not know, and reads the earlier service version 1', async () => {
    const v9 = (await write(rowsA, rowsB)).replace(`"version":${WRITE_VERSION}`, '"version":9');
    expect((await readError(v9)).code).toBe('UNSUPPORTED_VERSION');
    const v0 = (await write(rowsA, rowsB)).replace(`"version":${WRITE_VERSION}`, '"version":0');
    expect((await readError(v0)).message).toMatch(/version 0 is not supported/);
    const legacy = await read('{"version":"1.0","timestamp":"2024-01-01T00:00:00.000Z","tables":{"students":[]}}');
    expect(legacy).toEqual([
      { kind: 'legacy', document: { version: '1.0', timestamp: '2024-01-01T00:00:00.000Z', tables: { students: [] } } },
    ]);
  });

  it.each(LINE_VERSIONS)('writes and reads version %i, with content digests from version 3', async (version) => {
    const digests: Record<string, string> = {};
    const text = await write(rowsA, rowsB, { version, digests });
    expect(JSON.parse(text).version).toBe(version);
    const events = await read(text);
    expect(events[0]).toEqual({ kind: 'header', version, header });
    const ends = events.flatMap((e) => (e.kind === 'model-end' ? [[e.model, e.rowCount, e.digest]] : []));
    if (version < 3) {
      expect(ends).toEqual([
        ['A', 3, undefined],
        ['Empty', 0, undefined],
        ['B', 1, undefined],
      ]);
      expect(digests).toEqual({});
      return;
    }
    const expected = new ContentDigest();
    for (const row of rowsA.flat()) expected.addRow(row);
    expect(ends).toEqual([
      ['A', 3, expected.hex()],
      ['Empty', 0, EMPTY_DIGEST],
      ['B', 1, digests.B],
    ]);
    expect(digests).toEqual({ A: expected.hex(), Empty: EMPTY_DIGEST, B: digests.B });
    // A version 3 reader refuses a model end without its digest, and a version 2 one with it.
    expect((await readError(text.replace(/\],"digest":"[0-9a-f]{64}"\},/, ']},'))).message).toMatch(/do not end|not valid JSON/);
  });

  it('digests rows by their canonical text, in any order', () => {
    const rows: TRow[] = [
      ['1', 'a'],
      ['2', null],
      ['3', 'é "q"'],
    ];
    const forward = new ContentDigest();
    const backward = new ContentDigest();
    for (const row of rows) forward.addRow(row);
    for (const row of [...rows].reverse()) backward.addText(rowText(row));
    expect(forward.hex()).toBe(backward.hex());
    expect(forward.hex()).toMatch(/^[0-9a-f]{64}$/);
    const changed = new ContentDigest();
    for (const row of [rows[0], ['2', ''], rows[2]] as TRow[]) changed.addRow(row);
    expect(changed.hex()).not.toBe(forward.hex());
    expect(new ContentDigest().hex()).toBe(EMPTY_DIGEST);
  });
});
