import type { PrismaClient } from '@/generated/prisma/client';
import { readCatalog } from '@/lib/backup/schema/catalog';
import { ident, sqlOf } from '@/lib/backup/sql';

/**
 * Every row of every ERP table (or of the given ones) as PostgreSQL's own
 * text of the whole row, ordered by primary key: two dumps are equal exactly
 * when the data is, for every type. The backup module's own history
 * (Backup, AuditLog) is left out: restores add to it by design.
 */
export async function dumpTables(prisma: PrismaClient, only?: string[]): Promise<Record<string, string[]>> {
  const sql = sqlOf(prisma);
  const catalog = await readCatalog(sql);
  const dump: Record<string, string[]> = {};
  await prisma.$transaction(async (tx) => {
    const txSql = sqlOf(tx);
    await txSql.execute(`SET LOCAL extra_float_digits = 3`);
    await txSql.execute(`SET LOCAL TimeZone = 'UTC'`);
    for (const table of [...catalog.values()].sort((a, b) => a.table.localeCompare(b.table))) {
      if (['_prisma_migrations', 'Backup', 'AuditLog'].includes(table.table) || (only && !only.includes(table.table))) continue;
      const rows = await txSql.query<{ row: string }>(
        `SELECT t::text AS row FROM ${ident(table.table)} t ORDER BY ${table.primaryKey.map(ident).join(', ')}`,
      );
      dump[table.table] = rows.map((r) => r.row);
    }
  });
  return dump;
}
