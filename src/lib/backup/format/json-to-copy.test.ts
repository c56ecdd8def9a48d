import { describe, expect, it } from 'vitest';
import { BackupError } from '../errors/errors';
import { parseCopyLine } from './copy-text';
import type { TRow } from './document';
import { jsonToCopy } from './json-to-copy';
import type { TRowBlock } from './row-block';

/** Values whose COPY text form needs care (copy-text.test.ts has the same kinds). */
const EDGE_ROWS: TRow[] = [
  ['1', null, '\\N', 'tab\there', 'new\nline\r\n', 'back\\slash'],
  ['2', '', 'héllo 日本語 😀', '\\x0001ff', '{1,2,"a\\"b",NULL}', '{"a": "b\\n", "c": [1, null]}'],
  ['3', '\\.', '-0', 'NaN', '\u0001\u001f', 'combining e\u0301'],
];

/** Rows as the document lays them out: `[…],\n` each, the model's last without the comma when it ends the model. */
function blockOf(rows: TRow[], endsModel = true, columnCount = rows[0]?.length ?? 0): TRowBlock {
  const text = rows.map((row, i) => `${JSON.stringify(row)}${endsModel && i === rows.length - 1 ? '' : ','}\n`).join('');
  return { model: 'M', lines: Buffer.from(text), columnCount, endsModel };
}

function copyRows(copy: Uint8Array): TRow[] {
  return Buffer.from(copy).toString('utf8').split('\n').slice(0, -1).map(parseCopyLine);
}

function corruptOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe('CORRUPT');
    return (error as BackupError).message;
  }
  throw new Error('expected CORRUPT');
}

describe('jsonToCopy', () => {
  it('turns document rows into COPY text that reads back as the same values, NULL apart from the text \\N', () => {
    const all = [0, 1, 2, 3, 4, 5];
    const output = jsonToCopy({ block: blockOf(EDGE_ROWS), keep: all, deferred: [], key: [0] });
    expect(output.rows).toBe(3);
    expect(copyRows(output.copy)).toEqual(EDGE_ROWS);
    expect(output.links).toEqual([]);
  });

  it('leaves out the columns the schema lacks, and loads deferred keys as NULL, returning them with the row key', () => {
    const rows: TRow[] = [
      ['a', 'gone', 'p1', 'x'],
      ['b', 'gone', null, 'y'],
    ];
    const output = jsonToCopy({ block: blockOf(rows, false), keep: [0, 2, 3], deferred: [2], key: [0] });
    expect(copyRows(output.copy)).toEqual([
      ['a', null, 'x'],
      ['b', null, 'y'],
    ]);
    expect(output.links).toEqual([['a', 'p1']]);
  });

  it('refuses rows of the wrong width, values that are not text, and a row after one without its comma, naming the model', () => {
    const keep = [0, 1];
    expect(corruptOf(() => jsonToCopy({ block: blockOf([['1']], true, 2), keep, deferred: [], key: [0] }))).toMatch(
      /a row of M has 1 values for 2 columns/,
    );
    expect(corruptOf(() => jsonToCopy({ block: blockOf([['1', 2]] as unknown as TRow[]), keep, deferred: [], key: [0] }))).toMatch(
      /a row of M holds a value that is neither text nor null/,
    );
    const noComma: TRowBlock = { model: 'M', lines: Buffer.from('["1","a"]\n["2","b"]\n'), columnCount: 2, endsModel: true };
    expect(corruptOf(() => jsonToCopy({ block: noComma, keep, deferred: [], key: [0] }))).toMatch(/rows of M do not end where expected/);
    const notJson: TRowBlock = { model: 'M', lines: Buffer.from('["1",\n'), columnCount: 2, endsModel: true };
    expect(corruptOf(() => jsonToCopy({ block: notJson, keep, deferred: [], key: [0] }))).toMatch(/a row of M is not valid JSON/);
  });
});
