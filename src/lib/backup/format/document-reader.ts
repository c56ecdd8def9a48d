import { BackupError } from '../errors/errors';
import { DIGEST_VERSION, FORMAT_NAME, READ_VERSIONS, type TBackupHeader, type TRow, ZBackupHeader } from './document';
import { splitLines } from './line-splitter';

export type TDocumentEvent =
  | { kind: 'header'; version: number; header: TBackupHeader }
  | { kind: 'rows'; model: string; rows: TRow[] }
  /** `digest`: the model's content digest the file records (version 3 and later), else absent. */
  | { kind: 'model-end'; model: string; rowCount: number; digest?: string }
  | { kind: 'legacy'; document: unknown };

const OPENING = new RegExp(`^\\{"format":"${FORMAT_NAME}","version":(\\d+),$`);
const MODEL_START = /^\{"model":("(?:[^"\\]|\\.)*"),"rows":\[$/;
const MODEL_END_WITH_DIGEST = /^\],"digest":"([0-9a-f]{64})"\}(,?)$/;
const LEGACY_OPENING = /^\s*\{\s*"version"\s*:\s*"1(\.\d+)?"/;

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

function parseRow(line: string, model: string): TRow {
  try {
    const row = JSON.parse(line) as unknown;
    if (!Array.isArray(row)) throw new Error('not an array');
    return row as TRow;
  } catch {
    throw corrupt(`a row of ${model} is not valid JSON`);
  }
}

/**
 * Reads a decompressed backup document as a stream of events, checking its
 * grammar line by line (the writer's layout is part of the format) and each
 * model's row count against the header. Rows are delivered in batches.
 */
export async function* readDocument(
  plaintext: AsyncIterable<Buffer | string> | Iterable<Buffer | string>,
  batchSize = 1000,
  batchChars = 2 << 20,
): AsyncGenerator<TDocumentEvent> {
  const lines = splitLines(plaintext)[Symbol.asyncIterator]();
  const next = async (): Promise<string | undefined> => {
    const result = await lines.next();
    return result.done ? undefined : result.value;
  };

  const first = await next();
  if (first === undefined) throw corrupt('it is empty');
  if (LEGACY_OPENING.test(first)) {
    let text = first;
    for (let line = await next(); line !== undefined; line = await next()) text += `\n${line}`;
    try {
      yield { kind: 'legacy', document: JSON.parse(text) };
    } catch {
      throw corrupt('the version 1 document is not valid JSON');
    }
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

  const headerLine = await next();
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
  if ((await next()) !== '"data":[') throw corrupt('missing data section');

  for (const [index, model] of header.models.entries()) {
    const start = MODEL_START.exec((await next()) ?? '');
    if (!start?.[1] || JSON.parse(start[1]) !== model.name) throw corrupt(`expected the rows of ${model.name}`);
    const isLast = index === header.models.length - 1;
    // Version 2 ends a model with `]}`; version 3 with `],"digest":"<hex>"}`.
    let digest: string | undefined;
    const isEnd = (line: string | undefined): boolean => {
      if (line === undefined) return false;
      if (version < DIGEST_VERSION) return line === (isLast ? ']}' : ']},');
      const match = MODEL_END_WITH_DIGEST.exec(line);
      if (!match || (match[2] === '') !== isLast) return false;
      digest = match[1];
      return true;
    };
    let batch: TRow[] = [];
    let batchLength = 0;
    let count = 0;
    for (;;) {
      const line = await next();
      if (line === undefined) throw corrupt(`the rows of ${model.name} are cut short`);
      if (isEnd(line)) break;
      const hasComma = line.endsWith(',');
      const row = parseRow(hasComma ? line.slice(0, -1) : line, model.name);
      if (row.length !== model.columns.length)
        throw corrupt(`a row of ${model.name} has ${row.length} values for ${model.columns.length} columns`);
      batch.push(row);
      batchLength += line.length;
      count++;
      // Batches end at a row count or, for wide rows (documents), at a text size.
      if (batch.length >= batchSize || batchLength >= batchChars) {
        yield { kind: 'rows', model: model.name, rows: batch };
        batch = [];
        batchLength = 0;
      }
      if (!hasComma) {
        if (!isEnd(await next())) throw corrupt(`the rows of ${model.name} do not end where expected`);
        break;
      }
    }
    if (batch.length > 0) yield { kind: 'rows', model: model.name, rows: batch };
    if (count !== model.rowCount) throw corrupt(`${model.name} has ${count} rows but its header says ${model.rowCount}`);
    yield { kind: 'model-end', model: model.name, rowCount: count, ...(digest !== undefined ? { digest } : {}) };
  }
  if ((await next()) !== ']}') throw corrupt('missing end of document');
  const trailing = await next();
  if (trailing !== undefined && trailing !== '') throw corrupt('data after the end of the document');
  if ((await next()) !== undefined) throw corrupt('data after the end of the document');
}
