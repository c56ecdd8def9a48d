import { snapshotRows } from '../export/read-snapshot';
import { ContentDigest } from '../format/content-digest';
import type { TBackupHeader } from '../format/document';
import type { TBackupModel } from '../schema/models';
import type { TSql } from '../sql/sql';

/** What a restored table holds: its rows and their content digest. */
export interface TRestoredContent {
  rows: number;
  digest: string;
}

/**
 * Reads each restored model back the way the backup read it (the export's
 * own reader: key order, keyset pages, PostgreSQL text in the canonical
 * forms), with the columns in the order the file lists them, and digests
 * each row's canonical text: the same rows give the same digest the backup
 * recorded. One page in memory at a time. Models of the header the
 * database lacks are absent from the result.
 */
export async function readRestoredContent(
  sql: TSql,
  header: TBackupHeader,
  models: TBackupModel[],
  onRows?: (model: string, rows: number) => void | Promise<void>,
): Promise<Map<string, TRestoredContent>> {
  const byName = new Map(models.map((model) => [model.name, model]));
  const content = new Map<string, TRestoredContent>();
  for (const fileModel of header.models) {
    const model = byName.get(fileModel.name);
    if (!model) continue;
    const columns = fileModel.columns.map((name) => model.columns.find((column) => column.name === name));
    if (columns.some((column) => column === undefined)) continue;
    const inFileOrder: TBackupModel = { ...model, columns: columns as TBackupModel['columns'] };
    const digest = new ContentDigest();
    const [reader] = snapshotRows(sql, [inFileOrder], onRows ? { onRows } : {});
    if (!reader) continue;
    for await (const page of reader.pages) for (const row of page) digest.addRow(row);
    content.set(model.name, { rows: digest.rows, digest: digest.hex() });
  }
  return content;
}
