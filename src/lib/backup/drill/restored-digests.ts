import { markHandled } from '@/lib/async/mark-handled';
import { copyOutBlocks } from '../export/copy-out';
import type { CodecPool } from '../format/codec-pool';
import { type TCopyToJsonOutput, transferablesOf } from '../format/codec-tasks';
import { ContentDigest } from '../format/content-digest';
import type { TBackupHeader } from '../format/document';
import type { TBackupModel } from '../schema/models';
import type { TEngineConnection } from '../sql/engine-transaction';

/** What a restored table holds: its rows and their content digest. */
export interface TRestoredContent {
  rows: number;
  digest: string;
}

/**
 * Reads each restored model back the way the backup read it (the export's
 * own COPY reader: key order, PostgreSQL text in the canonical forms, which
 * the caller's transaction sets with beginSnapshot), with the columns in the
 * order the file lists them, and digests each row's canonical text in the
 * pool's worker threads: the same rows give the same digest the backup
 * recorded. A few blocks in memory at a time. Models of the header the
 * database lacks are absent from the result.
 */
export async function readRestoredContent(
  connection: TEngineConnection,
  header: TBackupHeader,
  models: TBackupModel[],
  pool: CodecPool,
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
    const digest = await digestBlocks(copyOutBlocks(connection, inFileOrder, onRows ? { onRows } : {}), pool);
    content.set(model.name, { rows: digest.rows, digest: digest.hex() });
  }
  return content;
}

/** The content digest of blocks of COPY rows, each block digested in a worker (two per worker at most in flight). */
async function digestBlocks(blocks: AsyncIterable<Uint8Array>, pool: CodecPool): Promise<ContentDigest> {
  const digest = new ContentDigest();
  const pending: Promise<TCopyToJsonOutput>[] = [];
  const take = async () => {
    const output = await (pending.shift() as Promise<TCopyToJsonOutput>);
    digest.addSum(output.digestSum, output.rows);
  };
  for await (const copy of blocks) {
    // Awaited in order below; an earlier failure must not leave this one unhandled.
    pending.push(markHandled(pool.run('copyToJson', { copy, leadingComma: false, gzipLevel: null }, transferablesOf(copy))));
    if (pending.length >= 2 * pool.size) await take();
  }
  while (pending.length > 0) await take();
  return digest;
}
