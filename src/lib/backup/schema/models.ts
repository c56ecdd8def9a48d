import { BackupError } from '../errors';
import type { TCatalogTable } from './catalog';

/** A model as the Prisma schema declares it (scalar fields only). */
export interface TSchemaModel {
  name: string;
  table: string;
  fields: { name: string; column: string; type: string }[];
}

/** A model as the backup engine handles it: the schema's name, the catalogue's columns. */
export interface TBackupModel {
  name: string;
  table: string;
  columns: TCatalogTable['columns'];
  primaryKey: string[];
  /** Models this model's foreign keys point to (excluding itself). */
  references: string[];
  /** The referenced models that must be inserted before this one (`references` minus deferred cycles). */
  dependsOn: string[];
  /**
   * Foreign-key columns inserted as NULL and filled in once every model is
   * restored: self-relations (a staff member's manager) and cycles.
   */
  deferredColumns: string[];
  schema: TSchemaModel;
}

/**
 * Models whose rows are the backup module's own history. They are written to
 * every backup (for the record) but never overwritten by a restore.
 */
export const HISTORY_MODELS: ReadonlySet<string> = new Set(['Backup', 'AuditLog']);

/**
 * The sign-in machinery's state (src/lib/auth): neither written to a backup
 * nor touched by a restore. A restore that brought back a session ended
 * since the backup would undo a logout; tokens and throttle counters have no
 * use on another server.
 */
export const UNSAVED_MODELS: ReadonlySet<string> = new Set(['Session', 'LoginThrottle']);

/**
 * Joins the schema's models (less `UNSAVED_MODELS`) with the catalogue and
 * orders them so every model comes after the models it references (a
 * topological sort of the foreign keys). Where references form a cycle, nullable foreign keys are
 * deferred to break it. Ties keep the schema's order, so the order is stable.
 */
export function resolveModels(allSchemaModels: TSchemaModel[], catalog: Map<string, TCatalogTable>): TBackupModel[] {
  const schemaModels = allSchemaModels.filter((model) => !UNSAVED_MODELS.has(model.name));
  const byTable = new Map(schemaModels.map((model) => [model.table, model.name]));
  const models = schemaModels.map((schema): TBackupModel => {
    const table = catalog.get(schema.table);
    if (!table) {
      throw new BackupError('INTERNAL', `Model ${schema.name} has no table "${schema.table}" in the database: run \`npm run db:migrate\``);
    }
    if (table.primaryKey.length === 0) {
      throw new BackupError(
        'INTERNAL',
        `Model ${schema.name} has no primary key; the backup engine needs one to read it in a stable order`,
      );
    }
    const selfColumns = table.foreignKeys.filter((fk) => fk.referencedTable === schema.table).flatMap((fk) => fk.columns);
    const dependsOn = [
      ...new Set(
        table.foreignKeys
          .filter((fk) => fk.referencedTable !== schema.table)
          .map((fk) => byTable.get(fk.referencedTable))
          .filter((name): name is string => name !== undefined),
      ),
    ];
    return {
      name: schema.name,
      table: schema.table,
      columns: table.columns,
      primaryKey: table.primaryKey,
      references: dependsOn,
      dependsOn: [...dependsOn],
      deferredColumns: selfColumns,
      schema,
    };
  });
  return topologicalOrder(models, catalog);
}

function topologicalOrder(models: TBackupModel[], catalog: Map<string, TCatalogTable>): TBackupModel[] {
  const ordered: TBackupModel[] = [];
  const done = new Set<string>();
  const remaining = [...models];
  while (remaining.length > 0) {
    const readyIndex = remaining.findIndex((model) => model.dependsOn.every((name) => done.has(name)));
    if (readyIndex !== -1) {
      const [ready] = remaining.splice(readyIndex, 1) as [TBackupModel];
      ordered.push(ready);
      done.add(ready.name);
      continue;
    }
    // A cycle: defer the nullable foreign keys of the first model that can be
    // inserted once they are left out.
    const breakable = remaining.find((model) => {
      const table = catalog.get(model.table);
      return table?.foreignKeys.every((fk) => {
        const target = models.find((m) => m.table === fk.referencedTable);
        return (
          !target ||
          done.has(target.name) ||
          target === model ||
          fk.columns.every((c) => table.columns.find((col) => col.name === c)?.nullable)
        );
      });
    });
    if (!breakable) {
      throw new BackupError(
        'INTERNAL',
        `The models ${remaining.map((m) => m.name).join(', ')} reference each other through required foreign keys`,
      );
    }
    const table = catalog.get(breakable.table) as TCatalogTable;
    for (const fk of table.foreignKeys) {
      const target = models.find((m) => m.table === fk.referencedTable);
      if (target && !done.has(target.name) && target !== breakable) breakable.deferredColumns.push(...fk.columns);
    }
    breakable.dependsOn = breakable.dependsOn.filter((name) => done.has(name));
  }
  return ordered;
}
