import { z } from 'zod';

/**
 * The JSON document inside a backup (after decryption and gunzip). Version 2,
 * written since this module replaced the earlier service, is laid out one
 * JSON value per line so it can be written and read as a stream while the
 * whole file stays one valid JSON document:
 *
 *   {"format":"school-erp-backup","version":2,
 *   "header":{...TBackupHeader...},
 *   "data":[
 *   {"model":"School","rows":[
 *   ["<text of column 1>",null,...],
 *   ...
 *   ]},
 *   ...
 *   ]}
 *
 * Every value is PostgreSQL's own text form of the column (or null for SQL
 * NULL), which makes BigInt, Decimal, Bytes, Json, floats (NaN, ±Infinity,
 * -0), dates, enums and lists round-trip exactly. Column names are listed once
 * per model in the header, not repeated per row.
 *
 * Optional header fields added within version 2 (older readers ignore
 * them; files without them mean the defaults): per model `schema`, the
 * PostgreSQL schema of its table (default: the current schema), and `kind`,
 * `join` for an implicit many-to-many table (default `model`); `partial`,
 * true for a backup of chosen models (`--models`).
 *
 * Version 3 adds, at the end of each model's rows, the model's content
 * digest (see content-digest.ts): `],"digest":"<64 hex>"}` instead of `]}`,
 * written as the rows stream past; a restore drill compares it with the
 * rows it restored. Version 2 files have no digests.
 *
 * Version 1 is the earlier service's document, `{"version":"1.0",
 * "timestamp":...,"tables":{"<delegate>":[{...row...}]}}`, read for restores only.
 */
export const FORMAT_NAME = 'school-erp-backup';
export const WRITE_VERSION = 3;
export const READ_VERSIONS = { min: 1, max: 3 } as const;
/** The first version whose models end with their content digest. */
export const DIGEST_VERSION = 3;

const ZModelHeader = z.object({
  name: z.string(),
  table: z.string(),
  schema: z.string().optional(),
  kind: z.enum(['model', 'join']).optional(),
  columns: z.array(z.string()),
  types: z.array(z.string()),
  /** The key rows are ordered by: the primary key, or the unique key of a model without one. */
  primaryKey: z.array(z.string()),
  rowCount: z.number().int().nonnegative(),
});

export const ZBackupHeader = z.object({
  createdAt: z.string(),
  migration: z.string().nullable(),
  database: z.string(),
  partial: z.boolean().optional(),
  models: z.array(ZModelHeader),
});
export type TBackupHeader = z.infer<typeof ZBackupHeader>;

export type TRow = (string | null)[];

export const documentLines = {
  opening: (version: number) => `{"format":"${FORMAT_NAME}","version":${version},\n`,
  header: (header: TBackupHeader) => `"header":${JSON.stringify(header)},\n"data":[\n`,
  modelStart: (name: string) => `{"model":${JSON.stringify(name)},"rows":[\n`,
  /** `]}` (version 2) or `],"digest":"<hex>"}` (version 3 and later), with a comma unless it is the last model. */
  modelEnd: (isLast: boolean, digest?: string) => `${modelEndText(digest)}${isLast ? '' : ','}\n`,
  closing: ']}\n',
};

function modelEndText(digest: string | undefined): string {
  return digest === undefined ? ']}' : `],"digest":"${digest}"}`;
}
