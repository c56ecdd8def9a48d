import { describe, expect, it } from 'vitest';
import { countLines, LineBlocks, lastLine } from './line-blocks';

const bytes = (text: string) => new Uint8Array(Buffer.from(text));
const text = (block: Uint8Array | null) => (block ? Buffer.from(block).toString() : null);

describe('line blocks', () => {
  it('cuts gathered chunks after their last whole line, each block in a buffer of its own', () => {
    const blocks = new LineBlocks(8);
    expect(blocks.push(bytes('a\tb\nc'))).toBeNull();
    const first = blocks.push(bytes('d\ne'));
    expect(text(first)).toBe('a\tb\ncd\n');
    expect(first?.byteLength).toBe(first?.buffer.byteLength);
    expect(blocks.push(bytes('fgh'))).toBeNull();
    expect(text(blocks.push(bytes('ijk\n')))).toBe('efghijk\n');
    expect(blocks.finish()).toBeNull();
  });

  it('keeps gathering a row longer than a block, and refuses output that ends inside a row', () => {
    const blocks = new LineBlocks(2);
    expect(blocks.push(bytes('long'))).toBeNull();
    expect(blocks.push(bytes('er'))).toBeNull();
    expect(text(blocks.push(bytes('\nx')))).toBe('longer\n');
    expect(() => blocks.finish()).toThrow('ended inside a row');
  });

  it('counts lines and reads the last one, also of a one-line block and an empty line', () => {
    expect(countLines(bytes('a\nb\n\n'))).toBe(3);
    expect(lastLine(bytes('a\tb\nü\t😀\n'))).toBe('ü\t😀');
    expect(lastLine(bytes('only\n'))).toBe('only');
    expect(lastLine(bytes('\n'))).toBe('');
    expect(lastLine(bytes('a\n\n'))).toBe('');
  });
});
