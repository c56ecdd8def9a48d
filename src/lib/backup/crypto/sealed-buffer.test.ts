import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chunkIdFor, chunkIdKeyOf } from './chunk-id';
import { parseKey } from './keys';
import { PREFIX_BYTES } from './layout';
import { openSealedBuffer, sealBuffer } from './sealed-buffer';

const key = parseKey('11'.repeat(32));
const otherKey = parseKey('22'.repeat(32));

describe('sealed buffers', () => {
  it('round-trip in the [IV][tag][ciphertext] layout with a fresh IV each time', () => {
    const plaintext = randomBytes(5000);
    const first = sealBuffer(key, plaintext);
    const second = sealBuffer(key, plaintext);
    expect(first.length).toBe(PREFIX_BYTES + plaintext.length);
    expect(first.subarray(0, 16)).not.toEqual(second.subarray(0, 16));
    expect(openSealedBuffer(key, first, 'chunk')).toEqual(plaintext);
  });

  it('refuse a changed byte, a wrong key and a truncated object', () => {
    const sealed = sealBuffer(key, Buffer.from('rows'));
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(() => openSealedBuffer(key, flipped, 'chunk ab12')).toThrow(/chunk ab12 failed authentication/);
    expect(() => openSealedBuffer(otherKey, sealed, 'chunk')).toThrow(expect.objectContaining({ code: 'AUTH_FAILED' }));
    expect(() => openSealedBuffer(key, sealed.subarray(0, 20), 'manifest')).toThrow(expect.objectContaining({ code: 'CORRUPT' }));
  });
});

describe('chunk ids', () => {
  it('are the same for the same rows under one key, and differ under another key or for other rows', () => {
    const idKey = chunkIdKeyOf(key);
    const rows = Buffer.from('["1","a"],\n["2","b"],\n');
    expect(chunkIdFor(idKey, rows)).toMatch(/^[0-9a-f]{64}$/);
    expect(chunkIdFor(chunkIdKeyOf(key), rows)).toBe(chunkIdFor(idKey, rows));
    expect(chunkIdFor(chunkIdKeyOf(otherKey), rows)).not.toBe(chunkIdFor(idKey, rows));
    expect(chunkIdFor(idKey, Buffer.from('["1","a"],\n'))).not.toBe(chunkIdFor(idKey, rows));
  });

  it('are not a plain hash of the content, nor keyed with the encryption key itself', () => {
    const rows = Buffer.from('["1","a"],\n');
    const id = chunkIdFor(chunkIdKeyOf(key), rows);
    expect(id).not.toBe(createHash('sha256').update(rows).digest('hex'));
    expect(id).not.toBe(createHmac('sha256', key.bytes).update(rows).digest('hex'));
  });
});
