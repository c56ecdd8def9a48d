import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a UTF-8 byte stream into lines (without the newline), safely across
 * chunk and character boundaries. Only each new chunk is searched for
 * newlines, and a long line is kept as pieces until it ends, so a line of
 * many megabytes (a scanned document) costs linear time.
 */
export async function* splitLines(source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pieces: string[] = [];
  for await (const chunk of source) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let newline = text.indexOf('\n');
    while (newline !== -1) {
      pieces.push(text.slice(start, newline));
      yield pieces.length === 1 ? (pieces[0] as string) : pieces.join('');
      pieces = [];
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    if (start < text.length) pieces.push(text.slice(start));
  }
  pieces.push(decoder.end());
  const last = pieces.join('');
  if (last.length > 0) yield last;
}
