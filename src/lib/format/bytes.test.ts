import { describe, expect, it } from 'vitest';
import { formatBytes } from './bytes';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1.0 KiB'],
    [2048, '2.0 KiB'],
    [1_185_289, '1.1 MiB'],
    [5 * 1024 ** 3, '5.0 GiB'],
    [3 * 1024 ** 4, '3.0 TiB'],
    [2 * 1024 ** 5, '2048.0 TiB'],
  ])('prints %d bytes as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it('prints an unknown size as a dash, or the text given', () => {
    expect(formatBytes(null)).toBe('—');
    expect(formatBytes(null, '-')).toBe('-');
  });
});
