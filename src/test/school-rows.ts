import type { TRow } from '@/lib/backup/format/document';

/** The School table's columns, in the order the crafted documents of the restore tests list them. */
export const SCHOOL_COLUMNS = ['id', 'code', 'name', 'address', 'phone', 'email', 'timezone', 'foundedOn', 'isActive', 'createdAt'];

/** A valid School row as a document holds it (PostgreSQL text values), with the given id, code and name. */
export function schoolRow(id: string, code: string, name = `School ${code}`): TRow {
  return [id, code, name, 'Street 1', null, null, 'UTC', null, 't', '2026-01-01 00:00:00'];
}
