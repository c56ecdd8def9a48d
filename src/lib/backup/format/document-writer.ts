import { documentLines, type TBackupHeader, type TRow, WRITE_VERSION } from './document';

/** A model's rows, page by page, in primary-key order. */
export interface TModelRows {
  name: string;
  pages: AsyncIterable<TRow[]>;
}

/**
 * Serialises a backup document (current version) as a stream of text chunks,
 * one chunk per page of rows, so memory holds one page at a time.
 */
export async function* writeDocument(header: TBackupHeader, models: Iterable<TModelRows>): AsyncGenerator<string> {
  yield documentLines.opening(WRITE_VERSION) + documentLines.header(header);
  const list = [...models];
  for (const [index, model] of list.entries()) {
    yield documentLines.modelStart(model.name);
    let first = true;
    for await (const page of model.pages) {
      if (page.length === 0) continue;
      let text = '';
      for (const row of page) {
        text += `${first ? '' : ',\n'}${JSON.stringify(row)}`;
        first = false;
      }
      yield text;
    }
    yield (first ? '' : '\n') + documentLines.modelEnd(index === list.length - 1);
  }
  yield documentLines.closing;
}
