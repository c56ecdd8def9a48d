/** What a backup file holds, compared with the tables the schema owns. */
export interface TTableCoverage {
  ok: boolean;
  detail: string;
}

export interface TFileTables {
  /** Tables (model and many-to-many table names) the file holds. */
  names: string[];
  /** A backup of chosen models (`--models`). */
  partial: boolean;
  /** The migration the database was at when the backup was made (null: unknown, e.g. an earlier-service file). */
  migration: string | null;
}

/**
 * The `tables` check of verify: the file must hold every table its `Backup`
 * row says it holds and, for a full backup made at the database's current
 * migration, every table the schema owns now. A full backup made at an
 * older migration may lack tables added since: that is said, not failed
 * (a restore empties them and reports them in `modelsNotInBackup`).
 */
export function tableCoverage(file: TFileTables, recorded: string[], owned: string[], currentMigration: string | null): TTableCoverage {
  const inFile = new Set(file.names);
  const lacking = recorded.filter((name) => !inFile.has(name));
  if (lacking.length > 0) return { ok: false, detail: `the file lacks tables its record lists: ${lacking.join(', ')}` };
  if (file.partial) return { ok: true, detail: `${file.names.length} chosen tables (a backup of chosen models)` };
  const missing = owned.filter((name) => !inFile.has(name));
  if (missing.length === 0) return { ok: true, detail: `${file.names.length} tables: every table the schema owns` };
  if (file.migration !== null && file.migration === currentMigration) {
    return { ok: false, detail: `tables the schema owns are not in the file: ${missing.join(', ')} (a restore would empty them)` };
  }
  return {
    ok: true,
    detail: `made at migration ${file.migration ?? 'unknown'} (the database is now at ${currentMigration ?? 'unknown'}); not in it, so emptied by a restore: ${missing.join(', ')}`,
  };
}
