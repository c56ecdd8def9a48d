import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodePng, portraitPng } from './png';

function chunks(png: Uint8Array): { type: string; data: Buffer }[] {
  const buffer = Buffer.from(png);
  const found: { type: string; data: Buffer }[] = [];
  for (let offset = 8; offset < buffer.length; ) {
    const length = buffer.readUInt32BE(offset);
    found.push({ type: buffer.toString('latin1', offset + 4, offset + 8), data: buffer.subarray(offset + 8, offset + 8 + length) });
    offset += 12 + length;
  }
  return found;
}

describe('PNG encoder', () => {
  it('writes a valid PNG whose pixels decode back', () => {
    const png = encodePng(2, 1, (x) => (x === 0 ? [255, 0, 0] : [0, 0, 255]));
    expect(Buffer.from(png.subarray(0, 8)).toString('hex')).toBe('89504e470d0a1a0a');
    const [header, data, end] = chunks(png);
    expect(header?.type).toBe('IHDR');
    expect(header?.data.readUInt32BE(0)).toBe(2);
    expect(header?.data.readUInt32BE(4)).toBe(1);
    expect([...inflateSync(data?.data ?? Buffer.alloc(0))]).toEqual([0, 255, 0, 0, 0, 0, 255]);
    // The CRC of an empty IEND chunk is a well-known constant.
    expect(Buffer.from(png.subarray(png.length - 4)).toString('hex')).toBe('ae426082');
    expect(end?.type).toBe('IEND');
  });

  it('keeps placeholder portraits small', () => {
    const png = portraitPng([200, 220, 240], [60, 40, 30]);
    expect(png.length).toBeGreaterThan(60);
    expect(png.length).toBeLessThan(400);
  });
});
