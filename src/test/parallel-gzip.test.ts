import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parallelGzip } from './parallel-gzip';

async function* chunksOf(data: Buffer, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of source) out.push(chunk);
  return out;
}

describe('parallel gzip', () => {
  it('writes several gzip members that standard gunzip reads back as the original bytes, in order', async () => {
    const text = Buffer.from(Array.from({ length: 20_000 }, (_, i) => `["row ${i}","${randomBytes(4).toString('hex')}"]\n`).join(''));
    const members = await collect(parallelGzip(chunksOf(text, 1000), { blockSize: 64 * 1024, concurrency: 3 }));
    expect(members.length).toBeGreaterThan(3);
    for (const member of members) expect(member.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(gunzipSync(Buffer.concat(members)).equals(text)).toBe(true);
  });

  it('produces a valid (empty) gzip stream for empty input', async () => {
    const members = await collect(parallelGzip(chunksOf(Buffer.alloc(0), 1)));
    expect(gunzipSync(Buffer.concat(members))).toHaveLength(0);
  });

  it('passes on an error of its source', async () => {
    async function* failing() {
      yield Buffer.from('x');
      throw new Error('source broke');
    }
    await expect(collect(parallelGzip(failing()))).rejects.toThrow('source broke');
  });
});
