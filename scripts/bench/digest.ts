import type { PrismaClient } from '@/generated/prisma/client';
import { qualifiedName, readCatalog } from '@/lib/backup/schema/catalog';
import { HISTORY_MODELS } from '@/lib/backup/schema/models';
import { ident, sqlOf } from '@/lib/backup/sql/sql';

/** Per table: its row count and an MD5 over the MD5s of its rows' text, in primary-key order. */
export type TTableDigests = Map<string, { rows: number; md5: string }>;

/** Tables a restore does not replace: the migration log and the backup module's own history. */
const SKIPPED_TABLES = new Set(['_prisma_migrations', ...HISTORY_MODELS]);

/**
 * Digests every table a full restore replaces. Each row is hashed as
 * PostgreSQL's text of the whole row, so two digests match exactly when the
 * data does, for every type; hashing row hashes (32 bytes a row) rather
 * than the rows themselves keeps the server's memory small at millions of
 * rows. Text forms are pinned (UTC, round-trip floats) so the session's
 * settings cannot change the result.
 */
export async function digestTables(prisma: PrismaClient): Promise<TTableDigests> {
  const catalog = await readCatalog(sqlOf(prisma));
  const tables = [...catalog.tables.values()]
    .filter((table) => !SKIPPED_TABLES.has(table.table))
    .sort((a, b) => a.table.localeCompare(b.table));
  const digests: TTableDigests = new Map();
  await prisma.$transaction(
    async (tx) => {
      const sql = sqlOf(tx);
      await sql.execute('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      await sql.execute(`SET LOCAL TimeZone = 'UTC'`);
      await sql.execute('SET LOCAL extra_float_digits = 3');
      for (const table of tables) {
        const orderBy = table.primaryKey.map((column) => `t.${ident(column)}`).join(', ');
        const [row] = await sql.query<{ rows: string; md5: string | null }>(
          `SELECT count(*)::text AS rows, md5(string_agg(md5(t::text), '' ORDER BY ${orderBy})) AS md5 FROM ${qualifiedName(table)} t`,
        );
        digests.set(table.table, { rows: Number(row?.rows ?? 0), md5: row?.md5 ?? 'empty' });
      }
    },
    { maxWait: 30_000, timeout: 60 * 60_000 },
  );
  return digests;
}

/** The tables whose count or digest differ between two digests (empty when the data is identical). */
export function compareDigests(before: TTableDigests, after: TTableDigests): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  const problems: string[] = [];
  for (const name of [...names].sort()) {
    const a = before.get(name);
    const b = after.get(name);
    if (!a || !b) problems.push(`${name}: ${a ? 'missing after' : 'missing before'}`);
    else if (a.rows !== b.rows) problems.push(`${name}: ${a.rows} rows before, ${b.rows} after`);
    else if (a.md5 !== b.md5) problems.push(`${name}: same ${a.rows} rows but different content (md5 ${a.md5} vs ${b.md5})`);
  }
  return problems;
}

/** Total rows over all digested tables. */
export function digestRows(digests: TTableDigests): number {
  let total = 0;
  for (const { rows } of digests.values()) total += rows;
  return total;
}
