import { BackupError } from '../errors/errors';
import { DIGEST_VERSION, FORMAT_NAME, READ_VERSIONS, type TBackupHeader, type TRow, ZBackupHeader } from './document';
import { parseRowBlock, type TRowBlock } from './row-block';

/** The events of a document with each model's rows as unparsed blocks of row lines (the restore's bulk path). */
export type TDocumentBlockEvent =
  | { kind: 'header'; version: number; header: TBackupHeader }
  /** `rows`: how many row lines the block holds. */
  | { kind: 'row-block'; block: TRowBlock; rows: number }
  /** `digest`: the model's content digest the file records (version 3 and later), else absent. */
  | { kind: 'model-end'; model: string; rowCount: number; digest?: string }
  | { kind: 'legacy'; document: unknown };

/** The same events with the rows parsed, in batches. */
export type TDocumentEvent = Exclude<TDocumentBlockEvent, { kind: 'row-block' }> | { kind: 'rows'; model: string; rows: TRow[] };

const OPENING = new RegExp(`^\\{"format":"${FORMAT_NAME}","version":(\\d+),$`);
const MODEL_START = /^\{"model":("(?:[^"\\]|\\.)*"),"rows":\[$/;
const MODEL_END_WITH_DIGEST = /^\],"digest":"([0-9a-f]{64})"\}(,?)$/;
const LEGACY_OPENING = /^\s*\{\s*"version"\s*:\s*"1(\.\d+)?"/;
const NEWLINE = 0x0a;
const CLOSE_BRACKET = 0x5d;
/** A model's end line follows its rows: a newline then `]` (no row line starts with `]`, no JSON line holds a raw newline). */
const ROWS_END = Buffer.from('\n]');

function corrupt(detail: string): BackupError {
  return new BackupError('CORRUPT', `The backup's content is not a valid backup document (${detail})`);
}

function checkVersion(version: number): void {
  if (version < READ_VERSIONS.min || version > READ_VERSIONS.max) {
    throw new BackupError(
      'UNSUPPORTED_VERSION',
      `Backup format version ${version} is not supported by this version of the ERP (it reads versions ${READ_VERSIONS.min} to ${READ_VERSIONS.max})${
        version > READ_VERSIONS.max ? '; upgrade the ERP to restore this backup' : ''
      }`,
    );
  }
}

/**
 * The decompressed bytes, consumed from the front. `fill()` reads until a
 * newline is buffered (or the end), joining the chunks once: a line of many
 * megabytes (a scanned document) costs linear time.
 */
class ByteCursor {
  private pending: Buffer = Buffer.alloc(0);
  private ended = false;
  private readonly source: AsyncIterator<Buffer | string>;

  constructor(source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>) {
    this.source =
      Symbol.asyncIterator in source
        ? source[Symbol.asyncIterator]()
        : (async function* () {
            yield* source;
          })();
  }

  get bytes(): Buffer {
    return this.pending;
  }

  consume(length: number): Buffer {
    const taken = this.pending.subarray(0, length);
    this.pending = this.pending.subarray(length);
    return taken;
  }

  /** Reads more until a newline is buffered at or after `from`; false at the end of the data. */
  async fill(from = 0): Promise<boolean> {
    if (this.pending.indexOf(NEWLINE, from) !== -1) return true;
    const pieces: Buffer[] = [this.pending];
    while (!this.ended) {
      const next = await this.source.next();
      if (next.done) {
        this.ended = true;
        break;
      }
      const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
      pieces.push(chunk);
      if (chunk.indexOf(NEWLINE) !== -1) break;
    }
    this.pending = pieces.length === 1 ? this.pending : Buffer.concat(pieces);
    return this.pending.indexOf(NEWLINE, from) !== -1;
  }

  /** The next line without its newline; at the end, what is left (undefined when nothing is). */
  async line(): Promise<string | undefined> {
    await this.fill();
    const end = this.pending.indexOf(NEWLINE);
    if (end === -1) return this.pending.length > 0 ? this.consume(this.pending.length).toString('utf8') : undefined;
    const line = this.consume(end + 1);
    return line.subarray(0, end).toString('utf8');
  }

  async rest(): Promise<Buffer> {
    const pieces: Buffer[] = [this.consume(this.pending.length)];
    for (let next = await this.source.next(); !next.done; next = await this.source.next()) {
      pieces.push(typeof next.value === 'string' ? Buffer.from(next.value) : next.value);
    }
    this.ended = true;
    return Buffer.concat(pieces);
  }

  async close(): Promise<void> {
    await this.source.return?.();
  }
}

function countLines(bytes: Buffer): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return count;
}

/**
 * Reads a decompressed backup document as a stream of events, checking its
 * grammar (the writer's layout is part of the format) and each model's row
 * count against the header. The structural lines are read here; a model's
 * row lines are passed on unparsed, in blocks of about `blockBytes` that
 * end at a line (parseRowBlock checks and parses them, in a worker thread
 * for a restore), so this loop only looks for newlines.
 */
export async function* readDocumentBlocks(
  plaintext: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  blockBytes = 512 << 10,
): AsyncGenerator<TDocumentBlockEvent> {
  const cursor = new ByteCursor(plaintext);
  try {
    const first = await cursor.line();
    if (first === undefined) throw corrupt('it is empty');
    if (LEGACY_OPENING.test(first)) {
      const text = `${first}\n${(await cursor.rest()).toString('utf8')}`;
      let document: unknown;
      try {
        document = JSON.parse(text);
      } catch {
        throw corrupt('the version 1 document is not valid JSON');
      }
      yield { kind: 'legacy', document };
      return;
    }
    const opening = OPENING.exec(first);
    if (!opening) {
      const version = /"version":\s*"?(\d+)/.exec(first);
      if (version?.[1]) checkVersion(Number(version[1]));
      throw corrupt('unknown opening');
    }
    const version = Number(opening[1]);
    checkVersion(version);

    const headerLine = await cursor.line();
    if (!headerLine?.startsWith('"header":') || !headerLine.endsWith(',')) throw corrupt('missing header');
    const parsedHeader = ZBackupHeader.safeParse(
      (() => {
        try {
          return JSON.parse(headerLine.slice('"header":'.length, -1));
        } catch {
          return undefined;
        }
      })(),
    );
    if (!parsedHeader.success) throw corrupt('invalid header');
    const header = parsedHeader.data;
    yield { kind: 'header', version, header };
    if ((await cursor.line()) !== '"data":[') throw corrupt('missing data section');

    for (const [index, model] of header.models.entries()) {
      const start = MODEL_START.exec((await cursor.line()) ?? '');
      if (!start?.[1] || JSON.parse(start[1]) !== model.name) throw corrupt(`expected the rows of ${model.name}`);
      let count = 0;
      let block: Buffer[] = [];
      let blockLength = 0;
      const takeBlock = (endsModel: boolean): TDocumentBlockEvent => {
        const lines = Buffer.concat(block, blockLength);
        const rows = countLines(lines);
        count += rows;
        block = [];
        blockLength = 0;
        return { kind: 'row-block', block: { model: model.name, lines, columnCount: model.columns.length, endsModel }, rows };
      };
      // Row lines up to the model's end line, cut into blocks at line ends.
      for (;;) {
        if (cursor.bytes.length === 0 || cursor.bytes.indexOf(NEWLINE) === -1) {
          if (!(await cursor.fill())) throw corrupt(`the rows of ${model.name} are cut short`);
        }
        const bytes = cursor.bytes;
        if (bytes[0] === CLOSE_BRACKET) break;
        const end = bytes.indexOf(ROWS_END);
        let stop = end !== -1 ? end + 1 : bytes.lastIndexOf(NEWLINE) + 1;
        if (blockLength + stop > blockBytes) {
          // Only whole lines, and no more than fill the block (but at least one line per block).
          const fits = blockBytes - blockLength > 0 ? bytes.lastIndexOf(NEWLINE, blockBytes - blockLength - 1) + 1 : 0;
          stop = fits > 0 ? fits : blockLength === 0 ? bytes.indexOf(NEWLINE) + 1 : 0;
        }
        if (stop > 0) {
          const lines = cursor.consume(stop);
          block.push(lines);
          blockLength += lines.length;
        }
        // A full block goes out only when a row is known to follow it (the model's last row may lack its comma).
        const rest = cursor.bytes;
        if (blockLength >= blockBytes || stop === 0) {
          if (rest.length > 0 && rest[0] !== CLOSE_BRACKET) yield takeBlock(false);
        }
      }
      if (blockLength > 0) yield takeBlock(true);

      const endLine = (await cursor.line()) as string;
      const isLast = index === header.models.length - 1;
      // Version 2 ends a model with `]}`; version 3 with `],"digest":"<hex>"}`.
      let digest: string | undefined;
      if (version < DIGEST_VERSION) {
        if (endLine !== (isLast ? ']}' : ']},')) throw corrupt(`the rows of ${model.name} do not end where expected`);
      } else {
        const match = MODEL_END_WITH_DIGEST.exec(endLine);
        if (!match || (match[2] === '') !== isLast) throw corrupt(`the rows of ${model.name} do not end where expected`);
        digest = match[1];
      }
      if (count !== model.rowCount) throw corrupt(`${model.name} has ${count} rows but its header says ${model.rowCount}`);
      yield { kind: 'model-end', model: model.name, rowCount: count, ...(digest !== undefined ? { digest } : {}) };
    }
    if ((await cursor.line()) !== ']}') throw corrupt('missing end of document');
    // One empty line after the end is tolerated, as it always was; anything else is not.
    const trailing = await cursor.rest();
    if (trailing.length > 1 || (trailing.length === 1 && trailing[0] !== NEWLINE)) throw corrupt('data after the end of the document');
  } finally {
    await cursor.close();
  }
}

/**
 * The document's events with every row parsed on this thread, in batches of
 * at most `batchSize` rows: for the readers that look at rows one by one
 * (verify, tests). The grammar is the same as readDocumentBlocks'.
 */
export async function* readDocument(
  plaintext: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  batchSize = 1000,
): AsyncGenerator<TDocumentEvent> {
  for await (const event of readDocumentBlocks(plaintext)) {
    if (event.kind !== 'row-block') {
      yield event;
      continue;
    }
    const rows = parseRowBlock(event.block);
    for (let start = 0; start < rows.length; start += batchSize) {
      yield { kind: 'rows', model: event.block.model, rows: rows.slice(start, start + batchSize) };
    }
  }
}
