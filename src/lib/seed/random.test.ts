import { describe, expect, it } from 'vitest';
import { createRandom } from './random';

const draws = (seed: number, count = 5) => {
  const random = createRandom(seed);
  return Array.from({ length: count }, () => random.next());
};

describe('seeded random numbers', () => {
  it('repeat exactly for the same seed and differ for another', () => {
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
  });

  it('stay within their bounds, both ends included for integers', () => {
    const random = createRandom(1);
    const ints = Array.from({ length: 5000 }, () => random.int(3, 6));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5, 6]));
    for (let i = 0; i < 5000; i++) {
      const value = random.next();
      expect(value >= 0 && value < 1).toBe(true);
    }
  });

  it('fork into streams that do not depend on how much the parent has drawn', () => {
    const fresh = createRandom(7);
    const used = createRandom(7);
    for (let i = 0; i < 100; i++) used.next();
    expect(fresh.fork('school:3').id()).toBe(used.fork('school:3').id());
    expect(fresh.fork('school:3').id()).not.toBe(fresh.fork('school:4').id());
  });

  it('make cuid-like ids without collisions across many forks', () => {
    const root = createRandom(20250901);
    const ids = new Set<string>();
    for (let school = 0; school < 40; school++) {
      const stream = root.fork(`school:${school}`).fork('ids');
      for (let i = 0; i < 5000; i++) ids.add(stream.id());
    }
    expect(ids.size).toBe(200_000);
    for (const id of [...ids].slice(0, 100)) expect(id).toMatch(/^c[0-9a-z]{24}$/);
  });

  it('pick weighted values in proportion to their weights', () => {
    const random = createRandom(5);
    const picks = Array.from({ length: 20_000 }, () => random.weighted([['a', 3] as const, ['b', 1] as const]));
    const share = picks.filter((pick) => pick === 'a').length / picks.length;
    expect(share).toBeGreaterThan(0.72);
    expect(share).toBeLessThan(0.78);
  });

  it('sample distinct items', () => {
    const sample = createRandom(9).sample(['a', 'b', 'c', 'd', 'e'], 3);
    expect(new Set(sample).size).toBe(3);
  });
});
