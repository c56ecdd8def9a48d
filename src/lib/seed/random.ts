/**
 * Deterministic pseudo-random numbers for the seed: the same seed gives the
 * same database, byte for byte (apart from password salts).
 *
 * The generator is sfc32 (128-bit state). mulberry32 would be the smaller
 * choice, but its 32-bit state walks one fixed cycle, so the per-school
 * streams forked from nearby seeds would overlap after a few million draws
 * and repeat each other's ids.
 */
export interface TRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  float(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks a value with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T;
  /** Normally distributed (Box-Muller). */
  normal(mean: number, sd: number): number;
  /** A new array with the items in random order. */
  shuffle<T>(items: readonly T[]): T[];
  /** `count` distinct items in random order. */
  sample<T>(items: readonly T[], count: number): T[];
  /** A cuid-like id: "c" followed by 24 lowercase base-36 characters. */
  id(): string;
  bytes(length: number): Uint8Array;
  /**
   * An independent stream for a named part of the data. Forking does not
   * advance this stream, so adding draws in one part never shifts another.
   */
  fork(label: string): TRandom;
}

/** The seed used when none is given, so `db:seed` is reproducible by default. */
export const DEFAULT_SEED = 20250901;

// FNV-1a over the label, mixed with the seed: spreads similar labels
// ("school:1", "school:2") over unrelated states.
function hashSeed(seed: number, label: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

// splitmix32 expands one 32-bit seed into the four state words of sfc32.
function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const ID_CHUNK = 36 ** 6;

/** A random stream from a numeric seed. */
export function createRandom(seed: number): TRandom {
  const expand = splitmix32(seed);
  let a = expand();
  let b = expand();
  let c = expand();
  let d = expand();
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  // Discard the first outputs: sfc32 mixes its state in over a few rounds.
  for (let i = 0; i < 12; i++) nextUint32();

  const next = () => nextUint32() / 0x100000000;
  const random: TRandom = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (entries) => {
      const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
      let roll = next() * total;
      for (const [value, weight] of entries) {
        roll -= weight;
        if (roll < 0) return value;
      }
      const last = entries[entries.length - 1];
      if (!last) throw new Error('weighted pick from an empty list');
      return last[0];
    },
    normal: (mean, sd) => {
      const u = 1 - next();
      const v = next();
      return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    },
    shuffle: (items) => {
      const copy = [...items];
      for (let i = copy.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [copy[i], copy[j]] = [copy[j] as (typeof copy)[number], copy[i] as (typeof copy)[number]];
      }
      return copy;
    },
    sample: (items, count) => random.shuffle(items).slice(0, count),
    id: () => {
      let id = 'c';
      // 36^6 is just below 2^32, so each draw yields six base-36 characters.
      for (let i = 0; i < 4; i++)
        id += Math.floor(next() * ID_CHUNK)
          .toString(36)
          .padStart(6, '0');
      return id;
    },
    bytes: (length) => {
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = nextUint32() & 0xff;
      return out;
    },
    fork: (label) => createRandom(hashSeed(seed, label)),
  };
  return random;
}
