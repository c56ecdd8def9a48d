import { deflateSync } from 'node:zlib';

/**
 * A minimal PNG encoder for seeded images (student photos, scanned forms):
 * real, viewable files of a few hundred bytes, so the app can display what
 * the backup module round-trips.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

export type TRgb = readonly [number, number, number];

/** Encodes an RGB image; `pixel(x, y)` gives each pixel's colour. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => TRgb): Uint8Array<ArrayBuffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 2; // colour type: truecolour RGB
  const raw = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    const rowStart = y * (1 + width * 3); // each scanline starts with filter type 0 (none)
    for (let x = 0; x < width; x++) raw.set(pixel(x, y), rowStart + 1 + x * 3);
  }
  return Uint8Array.from(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', header),
      chunk('IDAT', deflateSync(raw)),
      chunk('IEND', new Uint8Array(0)),
    ]),
  );
}

/** A passport-style placeholder portrait: a head-and-shoulders silhouette on a coloured background. */
export function portraitPng(background: TRgb, silhouette: TRgb, size = 32): Uint8Array<ArrayBuffer> {
  const head = { x: size / 2, y: size * 0.38, r: size * 0.2 };
  return encodePng(size, size, (x, y) => {
    const inHead = (x - head.x) ** 2 + (y - head.y) ** 2 <= head.r ** 2;
    const inShoulders = y > size * 0.65 && Math.abs(x - size / 2) < size * 0.35 - (size - y) * 0.3;
    return inHead || inShoulders ? silhouette : background;
  });
}
