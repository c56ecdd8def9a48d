import { ContentDigest } from '@/lib/backup/format/content-digest';
import { DIGEST_VERSION, documentLines, type TBackupHeader, type TRow, WRITE_VERSION } from '@/lib/backup/format/document';

/** A model's rows, page by page, in primary-key order. */
export interface TModelRows {
  name: string;
  pages: AsyncIterable<TRow[]>;
}

export interface TWriteOptions {
  /** The version to write: the current one, or an older one a test needs (version 2 has no digests). */
  version?: number;
  /** Filled with each model's content digest as its rows are written (from version 3). */
  digests?: Record<string, string>;
}

/**
 * The tests' reference writer (the engine writes with copy-document-writer.ts,
 * and is checked against this): serialises a backup document (current version) as a stream of text chunks,
 * one chunk per page of rows, so memory holds one page at a time. Each
 * model's content digest is computed from the very lines written.
 */
export async function* writeDocument(
  header: TBackupHeader,
  models: Iterable<TModelRows>,
  options: TWriteOptions = {},
): AsyncGenerator<string> {
  const version = options.version ?? WRITE_VERSION;
  yield documentLines.opening(version) + documentLines.header(header);
  const list = [...models];
  for (const [index, model] of list.entries()) {
    yield documentLines.modelStart(model.name);
    const digest = new ContentDigest();
    let first = true;
    for await (const page of model.pages) {
      if (page.length === 0) continue;
      let text = '';
      for (const row of page) {
        const line = JSON.stringify(row);
        digest.addText(line);
        text += `${first ? '' : ',\n'}${line}`;
        first = false;
      }
      yield text;
    }
    const hex = version >= DIGEST_VERSION ? digest.hex() : undefined;
    if (hex !== undefined && options.digests) options.digests[model.name] = hex;
    yield (first ? '' : '\n') + documentLines.modelEnd(index === list.length - 1, hex);
  }
  yield documentLines.closing;
}
