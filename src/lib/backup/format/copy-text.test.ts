import { describe, expect, it } from 'vitest';
import { copyLine, parseCopyLine } from './copy-text';
import type { TRow } from './document';

/** Values whose COPY text form needs care: every escape, NULL against the text `\N`, unicode, empty strings. */
const EDGE_ROWS: TRow[] = [
  [null, '\\N', 'N', '\\', '\\\\N', ''],
  ['tab\there', 'new\nline', 'carriage\rreturn', 'back\\slash', 'crlf\r\n', '\t\n\r\\'],
  ['bell\u0007', 'backspace\b', 'form\ffeed', 'vertical\vtab', 'nul-free \u0001 controls \u001f'],
  ['héllo wörld', '日本語テキスト', '😀 emoji', 'RTL \u202e text', 'combining e\u0301'],
  ['\\x0001ff', '{1,2,"a\\"b",NULL}', '{"a": "b\\n", "c": [1, null]}', '[1,2)', '-0', 'NaN', '-Infinity'],
  ['\\.'],
  [''],
];

describe('COPY text', () => {
  it('round-trips every edge value through a COPY line', () => {
    for (const row of EDGE_ROWS) {
      const line = copyLine(row);
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      expect(parseCopyLine(line.slice(0, -1))).toEqual(row);
    }
  });

  it('writes NULL as \\N and the two characters \\N as \\\\N, as PostgreSQL does', () => {
    expect(copyLine([null, '\\N'])).toBe('\\N\t\\\\N\n');
    expect(parseCopyLine('\\N\t\\\\N')).toEqual([null, '\\N']);
  });

  it('escapes only backslash, newline, carriage return and tab on output', () => {
    expect(copyLine(['a\\b\nc\rd\te\u0007'])).toBe('a\\\\b\\nc\\rd\\te\u0007\n');
    expect(copyLine(['\\.'])).toBe('\\\\.\n');
  });

  it('reads the letter escapes PostgreSQL writes for control characters', () => {
    expect(parseCopyLine('\\b\\f\\n\\r\\t\\v')).toEqual(['\b\f\n\r\t\v']);
  });

  it('reads octal and hex byte escapes as UTF-8, also across several escapes', () => {
    expect(parseCopyLine('\\101\\x42\\7')).toEqual(['AB\u0007']);
    // é is C3 A9 in UTF-8.
    expect(parseCopyLine('caf\\303\\251 \\xc3\\xa9')).toEqual(['café é']);
    expect(parseCopyLine('\\xZ')).toEqual(['xZ']);
  });

  it('splits on tabs only, keeping empty fields', () => {
    expect(parseCopyLine('\t\t')).toEqual(['', '', '']);
    expect(parseCopyLine('')).toEqual(['']);
  });
});
