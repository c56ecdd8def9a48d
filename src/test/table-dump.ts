import type { PrismaClient } from '@/generated/prisma/client';
import { displayName, qualifiedName, readCatalog } from '@/lib/backup/schema/catalog';
import { HISTORY_MODELS } from '@/lib/backup/schema/models';
import { ident, sqlOf } from '@/lib/backup/sql/sql';

/**
 * Every row of every ERP table (or of the given ones) as PostgreSQL's own
 * text of the whole row, ordered by primary key (or by the row's text for a
 * table without one): two dumps are equal exactly when the data is, for
 * every type. Tables of the current schema are named as they are, those of
 * other `namespaces` as `schema.table`. The backup module's own history
 * and settings (HISTORY_MODELS: Backup, AuditLog, schedules) are left out:
 * restores add to the history by design and never touch the settings.
 */
export async function dumpTables(prisma: PrismaClient, only?: string[], namespaces: string[] = []): Promise<Record<string, string[]>> {
  const catalog = await readCatalog(sqlOf(prisma), namespaces);
  const dump: Record<string, string[]> = {};
  await prisma.$transaction(async (tx) => {
    const txSql = sqlOf(tx);
    await txSql.execute(`SET LOCAL extra_float_digits = 3`);
    await txSql.execute(`SET LOCAL TimeZone = 'UTC'`);
    const tables = [...catalog.tables.values()].map((table) => ({ ...table, name: displayName(table, catalog.currentSchema) }));
    for (const table of tables.sort((a, b) => a.name.localeCompare(b.name))) {
      if (table.name === '_prisma_migrations' || HISTORY_MODELS.has(table.name) || (only && !only.includes(table.name))) continue;
      const orderBy = table.primaryKey.length > 0 ? table.primaryKey.map(ident).join(', ') : '1';
      const rows = await txSql.query<{ row: string }>(`SELECT t::text AS row FROM ${qualifiedName(table)} t ORDER BY ${orderBy}`);
      dump[table.name] = rows.map((r) => r.row);
    }
  });
  return dump;
}
