import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { copyToJson, copyToRows, packChunk } from './codec-tasks';
import { ContentDigest } from './content-digest';
import { copyLine } from './copy-text';
import type { TRow } from './document';

/** Rows with text of every UTF-8 length (1 to 4 bytes a character), escapes, commas and NULLs. */
const rows: TRow[] = Array.from({ length: 3000 }, (_, i) => [
  String(i),
  i % 4 === 0 ? null : `Zoë, “Ünal” 学生 ${'🎓'.repeat(i % 3)}`,
  `line\nbreak\t"quoted",\\ ${i}`,
]);
const chunkOf = (list: TRow[]) => Buffer.from(list.map((row) => `${JSON.stringify(row)},\n`).join(''));

describe('copyToRows and copyToJson', () => {
  const copy = () => new Uint8Array(Buffer.from(rows.map(copyLine).join('')));

  it('turn COPY lines of any UTF-8 text into row lines, with and without their digest', () => {
    const converted = copyToRows({ copy: copy() });
    expect(Buffer.from(converted.out).toString()).toBe(rows.map((row) => `${JSON.stringify(row)},\n`).join(''));
    expect(converted.rows).toBe(rows.length);
    const json = copyToJson({ copy: copy(), leadingComma: true, gzipLevel: null });
    expect(Buffer.from(json.out).toString()).toBe(`,\n${rows.map((row) => JSON.stringify(row)).join(',\n')}`);
    const expected = new ContentDigest();
    for (const row of rows) expected.addRow(row);
    expect(Buffer.from(json.digestSum).toString('hex')).toBe(expected.hex());
  });

  it('refuse a block that ends inside a row', () => {
    expect(() => copyToRows({ copy: Buffer.from('1\tx\n2\ty') })).toThrow('ended inside a row');
  });
});

describe('packChunk', () => {
  it('digests each row of a chunk as the document digest does, and gzips the chunk as it is', () => {
    const chunk = chunkOf(rows);
    const expected = new ContentDigest();
    for (const row of rows) expected.addRow(row);
    const packed = packChunk({ rows: new Uint8Array(chunk), gzipLevel: 6 });
    expect(Buffer.from(packed.digestSum).toString('hex')).toBe(expected.hex());
    expect(packed.rows).toBe(rows.length);
    expect(gunzipSync(packed.gz as Uint8Array).equals(chunk)).toBe(true);
  });

  it('digests a chunk given as a view into a larger buffer, and skips gzip when not asked', () => {
    const chunk = chunkOf(rows.slice(0, 10));
    const padded = Buffer.concat([Buffer.from('[],\n'), chunk, Buffer.from('["x"')]);
    const packed = packChunk({ rows: padded.subarray(4, 4 + chunk.length), gzipLevel: null });
    const expected = new ContentDigest();
    for (const row of rows.slice(0, 10)) expected.addRow(row);
    expect(Buffer.from(packed.digestSum).toString('hex')).toBe(expected.hex());
    expect(packed.gz).toBeNull();
  });

  it('refuses a chunk that ends inside a row', () => {
    expect(() => packChunk({ rows: Buffer.from('["1"],\n["2"]'), gzipLevel: null })).toThrow('ended inside a row');
    expect(() => packChunk({ rows: Buffer.from('["1"]\n'), gzipLevel: null })).toThrow('ended inside a row');
  });
});
