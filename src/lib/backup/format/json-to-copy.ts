import { copyLine } from './copy-text';
import type { TRow } from './document';
import { parseRowBlock, type TRowBlock } from './row-block';

export interface TJsonToCopyInput {
  block: TRowBlock;
  /** Positions in the file's rows of the columns loaded, in the COPY column order (columns the schema lacks are left out). */
  keep: number[];
  /** Positions (in the file's rows) of the deferred foreign keys: loaded as NULL, returned for linking afterwards. */
  deferred: number[];
  /** Positions (in the file's rows) of the row key, which identifies a row to link. */
  key: number[];
}

export interface TJsonToCopyOutput {
  /** The rows as COPY text lines, UTF-8. */
  copy: Uint8Array;
  rows: number;
  /** For each row with a deferred value: its key values, then its deferred values (in `deferred` order). */
  links: TRow[];
}

/** Turns a block of the document's row lines into COPY text for the restore, checking each row on the way. */
export function jsonToCopy(input: TJsonToCopyInput): TJsonToCopyOutput {
  const { keep, deferred, key } = input;
  const rows = parseRowBlock(input.block);
  const deferredSet = new Set(deferred);
  const links: TRow[] = [];
  let text = '';
  for (const row of rows) {
    const loaded: TRow = new Array(keep.length);
    for (let i = 0; i < keep.length; i++) {
      const at = keep[i] as number;
      loaded[i] = deferredSet.has(at) ? null : (row[at] ?? null);
    }
    text += copyLine(loaded);
    if (deferred.length > 0 && deferred.some((at) => row[at] !== null)) {
      links.push([...key.map((at) => row[at] ?? null), ...deferred.map((at) => row[at] ?? null)]);
    }
  }
  return { copy: Buffer.from(text), rows: rows.length, links };
}
