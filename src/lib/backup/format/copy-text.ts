import type { TRow } from './document';

/**
 * PostgreSQL's COPY text format (tab-separated, one row per line) and the
 * document's rows. Both carry each value as the column type's own text form,
 * so converting between them is only a matter of escaping: no value is
 * parsed or reformatted, and a row read with COPY has exactly the text
 * `column::text` gives (the document's contract).
 *
 * COPY writes SQL NULL as `\N` and a backslash, newline, carriage return,
 * tab, backspace, form feed or vertical tab as a backslash sequence; a value
 * that is the two characters `\N` comes out as `\\N`, so the two never meet.
 * On input PostgreSQL also reads octal (`\101`) and hex (`\x41`) byte
 * sequences, which this reader accepts too.
 */

const NULL_FIELD = '\\N';

const ESCAPED_LETTERS: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/** One COPY text line (without its newline) as a row. */
export function parseCopyLine(line: string): TRow {
  const fields = line.split('\t');
  const row: TRow = new Array(fields.length);
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index] as string;
    if (field === NULL_FIELD) row[index] = null;
    else row[index] = field.includes('\\') ? unescapeField(field) : field;
  }
  return row;
}

function unescapeField(field: string): string {
  // Octal and hex sequences are bytes of the client encoding (UTF-8), so
  // a character may span several of them: collect bytes, decode once.
  const bytes: number[] = [];
  let text = '';
  const flush = () => {
    if (bytes.length === 0) return;
    text += Buffer.from(bytes).toString('utf8');
    bytes.length = 0;
  };
  for (let i = 0; i < field.length; i++) {
    // Plain text between backslashes is copied as one slice: a bytea of megabytes
    // (`\x` and hex digits) appended a character at a time filled a worker's heap.
    const next = field.indexOf('\\', i);
    const end = next === -1 || next === field.length - 1 ? field.length : next;
    if (end > i) {
      flush();
      text += field.slice(i, end);
      i = end - 1;
      continue;
    }
    const char = field[++i] as string;
    if (char >= '0' && char <= '7') {
      let digits = char;
      while (digits.length < 3 && (field[i + 1] ?? '') >= '0' && (field[i + 1] ?? '') <= '7') digits += field[++i];
      bytes.push(Number.parseInt(digits, 8) & 0xff);
    } else if (char === 'x' && /[0-9a-fA-F]/.test(field[i + 1] ?? '')) {
      let digits = field[++i] as string;
      if (/[0-9a-fA-F]/.test(field[i + 1] ?? '')) digits += field[++i];
      bytes.push(Number.parseInt(digits, 16));
    } else {
      flush();
      text += ESCAPED_LETTERS[char] ?? char;
    }
  }
  flush();
  return text;
}

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPE_ALL = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A row as one COPY text line, with its newline. */
export function copyLine(row: TRow): string {
  let line = '';
  for (let index = 0; index < row.length; index++) {
    const value = row[index];
    if (index > 0) line += '\t';
    if (value === null || value === undefined) line += NULL_FIELD;
    else line += NEEDS_ESCAPE.test(value) ? value.replace(ESCAPE_ALL, (char) => ESCAPES[char] as string) : value;
  }
  return `${line}\n`;
}
