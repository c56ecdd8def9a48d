import type { TRow } from '../format/document';
import type { TBackupModel } from '../schema/models';

/**
 * Reads documents written by the earlier service (format version 1):
 * `{"version":"1.0","timestamp":"...","tables":{"<delegate>":[{...}]}}`, where
 * `<delegate>` is a Prisma client delegate name (`students`, `feePayments`)
 * and rows are plain `JSON.stringify` output. Rows are converted to the
 * PostgreSQL text forms the importer takes.
 */
export interface TLegacyTable {
  model: TBackupModel;
  columns: string[];
  rows: TRow[];
}

export interface TLegacyContent {
  tables: TLegacyTable[];
  unmatchedTables: string[];
  unmatchedFields: Record<string, string[]>;
}

function singularForms(name: string): string[] {
  const lower = name.toLowerCase();
  const forms = [lower];
  if (lower.endsWith('ies')) forms.push(`${lower.slice(0, -3)}y`);
  if (lower.endsWith('es')) forms.push(lower.slice(0, -2));
  if (lower.endsWith('s')) forms.push(lower.slice(0, -1));
  return forms;
}

/** Matches a delegate name to a model, case-insensitively, plural or singular. */
export function matchLegacyTable(name: string, models: TBackupModel[]): TBackupModel | undefined {
  const forms = singularForms(name);
  return models.find((model) => forms.includes(model.name.toLowerCase()));
}

function quoteArrayElement(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function isSerializedBuffer(value: unknown): value is { type: 'Buffer'; data: number[] } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'Buffer' &&
    Array.isArray((value as { data?: unknown }).data)
  );
}

/**
 * The PostgreSQL text form of a value as `JSON.stringify` left it. `null` is
 * SQL NULL, except in a required Json column: there the earlier service's
 * Prisma client read JSON `null` (a required column cannot hold SQL NULL).
 */
export function legacyValueToText(value: unknown, sqlType: string, nullable = true): string | null {
  if (value === null || value === undefined) return !nullable && (sqlType === 'jsonb' || sqlType === 'json') ? 'null' : null;
  if (sqlType.endsWith('[]')) {
    return Array.isArray(value) ? `{${value.map(quoteArrayElement).join(',')}}` : String(value);
  }
  if (sqlType === 'bytea') {
    if (isSerializedBuffer(value)) return `\\x${Buffer.from(value.data).toString('hex')}`;
    if (typeof value === 'string') return `\\x${Buffer.from(value, 'base64').toString('hex')}`;
  }
  if (sqlType === 'jsonb' || sqlType === 'json') return JSON.stringify(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function readLegacyDocument(document: unknown, models: TBackupModel[]): TLegacyContent {
  const tables = (document as { tables?: unknown }).tables;
  if (typeof tables !== 'object' || tables === null) return { tables: [], unmatchedTables: [], unmatchedFields: {} };
  const result: TLegacyContent = { tables: [], unmatchedTables: [], unmatchedFields: {} };
  for (const [name, rawRows] of Object.entries(tables as Record<string, unknown>)) {
    const model = matchLegacyTable(name, models);
    if (!model || !Array.isArray(rawRows)) {
      result.unmatchedTables.push(name);
      continue;
    }
    const fieldToColumn = new Map(model.source.fields.map((field) => [field.name, field.column]));
    const seen = new Set<string>();
    for (const row of rawRows) for (const key of Object.keys(row as object)) seen.add(key);
    const fields = [...seen].filter((field) => fieldToColumn.has(field));
    const unknown = [...seen].filter((field) => !fieldToColumn.has(field));
    if (unknown.length > 0) result.unmatchedFields[model.name] = unknown;
    const columns = fields.map((field) => fieldToColumn.get(field) as string);
    const described = columns.map((column) => model.columns.find((c) => c.name === column));
    const rows = rawRows.map((row) =>
      fields.map((field, i) =>
        legacyValueToText((row as Record<string, unknown>)[field], described[i]?.sqlType ?? 'text', described[i]?.nullable ?? true),
      ),
    );
    result.tables.push({ model, columns, rows });
  }
  return result;
}
