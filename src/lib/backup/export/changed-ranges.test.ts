import { describe, expect, it } from 'vitest';
import { horizonComparable } from './changed-ranges';

const horizon = (xmin: bigint, xmax: bigint, collation: string | null = null) => ({
  xmin: xmin.toString(),
  xmax: xmax.toString(),
  collation,
});

describe('horizonComparable: when the previous snapshot’s transaction ids still say what changed', () => {
  it('holds in the same cluster, ids moving forward, across the 32-bit wrap of row ids', () => {
    expect(horizonComparable(horizon(1000n, 1005n), horizon(1200n, 1210n))).toBe(true);
    expect(horizonComparable(horizon(2n ** 32n - 10n, 2n ** 32n - 5n), horizon(2n ** 32n + 50n, 2n ** 32n + 60n))).toBe(true);
  });

  it('fails when ids went back (another cluster, a point-in-time recovery), drifted past 2^30, or the collation changed', () => {
    expect(horizonComparable(horizon(1000n, 1005n), horizon(900n, 1001n))).toBe(false);
    expect(horizonComparable(horizon(1000n, 1005n), horizon(1000n + 2n ** 30n, 1000n + 2n ** 30n + 1n))).toBe(false);
    expect(horizonComparable(horizon(1000n, 1005n, '2.36'), horizon(1200n, 1210n, '2.41'))).toBe(false);
  });
});
