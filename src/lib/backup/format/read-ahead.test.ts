import { describe, expect, it } from 'vitest';
import { readAhead } from './read-ahead';

describe('readAhead', () => {
  it('yields every item in order and produces the next one while the consumer works', async () => {
    const produced: number[] = [];
    async function* source() {
      for (let i = 1; i <= 3; i++) {
        produced.push(i);
        yield i;
      }
    }
    const seen: [number, number[]][] = [];
    for await (const item of readAhead(source())) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push([item, [...produced]]);
    }
    expect(seen.map(([item]) => item)).toEqual([1, 2, 3]);
    // While item 1 was being consumed, item 2 had already been produced.
    expect(seen[0]?.[1]).toEqual([1, 2]);
  });

  it('delivers an error of the source when the consumer reaches it', async () => {
    async function* failing() {
      yield 1;
      throw new Error('gunzip failed');
    }
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(failing())) seen.push(item);
      })(),
    ).rejects.toThrow('gunzip failed');
    expect(seen).toEqual([1]);
  });
});
