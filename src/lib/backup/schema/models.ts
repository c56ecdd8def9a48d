import { BackupError } from '../errors/errors';
import { displayName, type TCatalog, type TCatalogTable, type TTableName, tableKey } from './catalog';

/** A model as the Prisma schema declares it (scalar fields only). */
export interface TSchemaModel {
  name: string;
  table: string;
  /** The PostgreSQL schema of `@@schema("…")`; null or absent: the database's current schema. */
  schema?: string | null;
  fields: { name: string; column: string; type: string }[];
  /** Names of the model's relations; an implicit many-to-many relation `R` is stored in a table `_R`. */
  relations?: string[];
}

/**
 * A table as the backup engine handles it: the schema's name, the
 * catalogue's columns. Most are models; `join` tables are the implicit
 * many-to-many tables Prisma creates (`_DepartmentTeachers`, columns A and B),
 * named in backups by their table name (model names cannot start with `_`).
 */
export interface TBackupModel extends TTableName {
  name: string;
  kind: 'model' | 'join';
  columns: TCatalogTable['columns'];
  /**
   * The columns rows are ordered, paged and matched by: the primary key, or
   * for a model without one (only `@unique`/`@@unique`), its smallest unique
   * key of required columns.
   */
  rowKey: string[];
  /** Models this model's foreign keys point to (excluding itself). */
  references: string[];
  /** The referenced models that must be inserted before this one (`references` minus deferred cycles). */
  dependsOn: string[];
  /**
   * Foreign-key columns inserted as NULL and filled in once every model is
   * restored: self-relations (a staff member's manager) and cycles.
   */
  deferredColumns: string[];
  source: TSchemaModel;
}

/**
 * Models whose rows are the backup module's own history and settings. They
 * are written to every backup (for the record) but never overwritten by a
 * restore: restoring last week's data must not bring back last week's
 * schedules or forget which slots already ran.
 */
export const HISTORY_MODELS: ReadonlySet<string> = new Set(['Backup', 'AuditLog', 'BackupSchedule', 'BackupScheduleRun', 'BackupIncident']);

/**
 * The sign-in machinery's state (src/lib/auth): owned by the schema but
 * neither written to a backup nor touched by a restore. A restore that
 * brought back a session ended since the backup would undo a logout; tokens
 * and throttle counters have no use on another server. (They have no
 * foreign keys, so a restore of the users they name is not held up.)
 * Nor is the index of stored snapshot chunks (`BackupChunk`): it describes
 * the storage as it is now, and last week's index brought back would claim
 * chunks removed since, so the next snapshot would skip storing them.
 */
const UNSAVED_MODELS: ReadonlySet<string> = new Set(['Session', 'LoginThrottle', 'BackupChunk']);

/** Prisma's own bookkeeping: not data of the schema, never backed up or restored. */
const PRISMA_MIGRATIONS_TABLE = '_prisma_migrations';

interface TEntry {
  model: TBackupModel;
  table: TCatalogTable;
}

/**
 * Places every table of the catalogue: each model of the schema on its
 * table, each implicit many-to-many relation on its `_<relation>` table.
 * A table left over (made outside Prisma, or by a schema the client does not
 * describe) stops the backup: leaving it out would give a backup that
 * verifies but lacks data. Restores and checks, which only touch the
 * schema's tables, pass `ignoreUnplaced` (a stray table must not block a
 * disaster recovery; one that references restored rows is named by the
 * database when the restore empties them). Then orders them so every table comes after the
 * tables it references (a topological sort of the foreign keys); where
 * references form a cycle, nullable foreign keys are deferred to break it
 * (a cycle of required keys is ordered as it comes: see topologicalOrder).
 * Ties keep the schema's order, so the order is stable. `UNSAVED_MODELS` are
 * placed (they are the schema's) but left out of the result.
 */
export function resolveModels(schemaModels: TSchemaModel[], catalog: TCatalog, options: { ignoreUnplaced?: boolean } = {}): TBackupModel[] {
  const entries = new Map<string, TEntry>();
  for (const source of schemaModels) {
    const name = { schema: source.schema ?? catalog.currentSchema, table: source.table };
    const table = catalog.tables.get(tableKey(name));
    if (!table) {
      throw new BackupError(
        'INTERNAL',
        `Model ${source.name} has no table "${displayName(name, catalog.currentSchema)}" in the database: run \`npm run db:migrate\``,
      );
    }
    entries.set(tableKey(name), { model: newModel(source.name, 'model', table, source), table });
  }
  const modelTables = new Map([...entries.values()].map((entry) => [tableKey(entry.table), entry.model.name]));
  const namespaces = [...new Set([...entries.values()].map((entry) => entry.table.schema))];
  for (const relation of new Set(schemaModels.flatMap((model) => model.relations ?? []))) {
    for (const schema of namespaces) {
      const table = catalog.tables.get(tableKey({ schema, table: `_${relation}` }));
      if (table && !entries.has(tableKey(table)) && isJoinTable(table, modelTables)) {
        const source = { name: table.table, table: table.table, schema, fields: joinFields(table) };
        entries.set(tableKey(table), { model: newModel(table.table, 'join', table, source), table });
      }
    }
  }
  const unplaced = [...catalog.tables.values()].filter((table) => !entries.has(tableKey(table)) && table.table !== PRISMA_MIGRATIONS_TABLE);
  if (unplaced.length > 0 && !options.ignoreUnplaced) {
    const names = unplaced.map((table) => `"${displayName(table, catalog.currentSchema)}"`).join(', ');
    throw new BackupError(
      'INTERNAL',
      `The database has table(s) the Prisma schema does not describe: ${names}. A backup must hold every table, so none was made: ` +
        'add them to prisma/schema.prisma (and regenerate the client), or drop them if they are left over',
    );
  }
  const byTable = new Map([...entries.entries()].map(([key, entry]) => [key, entry.model.name]));
  for (const { model, table } of entries.values()) {
    const own = tableKey(table);
    // A required self-reference goes in with its row: the restore suspends foreign keys while it loads.
    model.deferredColumns = table.foreignKeys
      .filter((fk) => tableKey(fk.referenced) === own && allNullable(table, fk.columns))
      .flatMap((fk) => fk.columns);
    model.references = [
      ...new Set(
        table.foreignKeys
          .filter((fk) => tableKey(fk.referenced) !== own)
          .map((fk) => byTable.get(tableKey(fk.referenced)))
          .filter((name): name is string => name !== undefined),
      ),
    ];
    model.dependsOn = [...model.references];
  }
  return topologicalOrder([...entries.values()].filter((entry) => !UNSAVED_MODELS.has(entry.model.name)));
}

/** The models a `--models` backup holds: those named, plus the many-to-many tables between them. */
export function selectModels(all: TBackupModel[], names: string[] | undefined): TBackupModel[] {
  if (!names?.length) return all;
  const chosen = new Set(names);
  return all.filter((model) => chosen.has(model.name) || (model.kind === 'join' && model.references.every((name) => chosen.has(name))));
}

function newModel(name: string, kind: TBackupModel['kind'], table: TCatalogTable, source: TSchemaModel): TBackupModel {
  return {
    name,
    kind,
    schema: table.schema,
    table: table.table,
    columns: table.columns,
    rowKey: rowKeyOf(name, table),
    references: [],
    dependsOn: [],
    deferredColumns: [],
    source,
  };
}

/**
 * Keyset pagination needs a key that orders every row and is never NULL:
 * the primary key, else a unique key of required columns (Prisma accepts a
 * model whose only key is `@unique`/`@@unique` on required fields).
 */
function rowKeyOf(name: string, table: TCatalogTable): string[] {
  if (table.primaryKey.length > 0) return table.primaryKey;
  const required = (column: string) => table.columns.find((c) => c.name === column)?.nullable === false;
  const unique = table.uniqueKeys.find((key) => key.every(required));
  if (unique) return unique;
  throw new BackupError(
    'INTERNAL',
    `Model ${name} has neither a primary key nor a unique key on required columns; the backup engine needs one to read it in a stable order`,
  );
}

/** Prisma's implicit many-to-many table: columns A and B, each a foreign key to a model. */
function isJoinTable(table: TCatalogTable, modelTables: Map<string, string>): boolean {
  const names = table.columns.map((column) => column.name).sort();
  if (names.join(',') !== 'A,B') return false;
  return ['A', 'B'].every((column) =>
    table.foreignKeys.some((fk) => fk.columns.length === 1 && fk.columns[0] === column && modelTables.has(tableKey(fk.referenced))),
  );
}

function joinFields(table: TCatalogTable): TSchemaModel['fields'] {
  return table.columns.map((column) => ({ name: column.name, column: column.name, type: column.sqlType }));
}

function allNullable(table: TCatalogTable, columns: string[]): boolean {
  return columns.every((column) => table.columns.find((c) => c.name === column)?.nullable === true);
}

function topologicalOrder(entries: TEntry[]): TBackupModel[] {
  const ordered: TBackupModel[] = [];
  const done = new Set<string>();
  const nameOf = new Map(entries.map((entry) => [tableKey(entry.table), entry.model.name]));
  const remaining = [...entries];
  while (remaining.length > 0) {
    const readyIndex = remaining.findIndex((entry) => entry.model.dependsOn.every((name) => done.has(name)));
    if (readyIndex !== -1) {
      const [ready] = remaining.splice(readyIndex, 1) as [TEntry];
      ordered.push(ready.model);
      done.add(ready.model.name);
      continue;
    }
    // A cycle: defer the nullable foreign keys of the first model that can be
    // inserted once they are left out.
    const pending = (fk: TCatalogTable['foreignKeys'][number], entry: TEntry) => {
      const target = nameOf.get(tableKey(fk.referenced));
      return target !== undefined && !done.has(target) && target !== entry.model.name;
    };
    const breakable = remaining.find((entry) =>
      entry.table.foreignKeys.every((fk) => !pending(fk, entry) || allNullable(entry.table, fk.columns)),
    );
    if (!breakable) {
      // Only required keys in the cycle: nothing can be left out, so the first
      // model simply goes first. The restore suspends foreign keys while it
      // loads and checks them all once every row is in, so order is a
      // courtesy here, not a condition.
      (remaining[0] as TEntry).model.dependsOn = (remaining[0] as TEntry).model.dependsOn.filter((name) => done.has(name));
      continue;
    }
    for (const fk of breakable.table.foreignKeys) {
      if (pending(fk, breakable)) breakable.model.deferredColumns.push(...fk.columns);
    }
    breakable.model.dependsOn = breakable.model.dependsOn.filter((name) => done.has(name));
  }
  return ordered;
}
