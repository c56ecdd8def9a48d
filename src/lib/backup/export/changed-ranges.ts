import { qualifiedName } from '../schema/catalog';
import type { TBackupModel } from '../schema/models';
import type { TSnapshotHorizon } from '../snapshot/manifest';
import type { TSql } from '../sql/sql';
import { ident } from '../sql/sql';

/**
 * Which key ranges of a model changed since an earlier snapshot, asked of
 * PostgreSQL without reading the rows (README, "Snapshots"). Every row
 * version carries `xmin`, the transaction that wrote it; every transaction
 * older than a snapshot's `xmin` bound had ended when that snapshot was
 * taken, so a row whose `xmin` is older than the earlier snapshot's was
 * visible to it, as it is now. A range holds the same rows as then when none
 * of its rows is younger than that bound (no insert or update since) and it
 * holds as many rows (no delete since). Conservative by construction: a row
 * that may be new counts as changed, and such a range is read again.
 */

/** Transaction ids compare modulo 2^32 (`age`); this much room is left before a bound is too old to compare. */
const HORIZON_SPAN_LIMIT = 2n ** 30n;

/** The export transaction's snapshot bounds as 64-bit transaction ids, and the collation's version (call inside the snapshot's transaction). */
export async function readSnapshotHorizon(sql: TSql): Promise<TSnapshotHorizon> {
  const [row] = await sql.query<TSnapshotHorizon>(
    `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin, pg_snapshot_xmax(pg_current_snapshot())::text AS xmax,
            pg_database_collation_actual_version(oid) AS collation FROM pg_database WHERE datname = current_database()`,
  );
  if (!row) throw new Error('The database returned no snapshot bounds');
  return row;
}

/**
 * A bound on the transactions of this database a snapshot taken after this
 * call may not see: the oldest transaction id held now by a session of this
 * database or a prepared transaction in it, else the next id to be assigned
 * (a 64-bit id). Call it on a connection of its own, before the snapshot: a
 * transaction that gets its id later gets a newer one. Transactions of other
 * databases of the cluster cannot write this database's rows, so, unlike the
 * snapshot's own `xmin` (cluster-wide), a long transaction elsewhere does
 * not hold it back. Ids are read from `pg_locks` (every transaction and
 * subtransaction holds a lock on its own id, visible to every role); a
 * 32-bit id is widened counting back from the next id.
 */
export async function readDatabaseXmin(sql: TSql): Promise<string> {
  const [row] = await sql.query<{ xmin: string }>(
    `WITH next AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS id),
          held AS (
            SELECT l.transactionid AS xid FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
             WHERE l.locktype = 'transactionid' AND l.mode = 'ExclusiveLock'
               AND a.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
            UNION ALL
            SELECT transaction FROM pg_prepared_xacts WHERE database = current_database())
     SELECT least(next.id, min(next.id - ((next.id % 4294967296) - held.xid::text::bigint + 4294967296) % 4294967296))::text AS xmin
       FROM next LEFT JOIN held ON true GROUP BY next.id`,
  );
  if (!row) throw new Error('The database returned no transaction bound');
  return row.xmin;
}

/**
 * The horizon a snapshot records: its own bounds, with `xmin` raised to the
 * database's bound read before it (readDatabaseXmin) when that is newer.
 */
export function databaseHorizon(snapshot: TSnapshotHorizon, databaseXmin: string | null): TSnapshotHorizon {
  if (databaseXmin === null || BigInt(databaseXmin) <= BigInt(snapshot.xmin)) return snapshot;
  return { ...snapshot, xmin: databaseXmin };
}

/** `xid8` as the 32-bit `xid` that row versions carry. */
function xidOf(xid8: string): string {
  return (BigInt(xid8) % 2n ** 32n).toString();
}

/**
 * Whether rows can be compared against the earlier snapshot's horizon:
 * transaction ids only move forward in one cluster, and `age` compares them
 * correctly within 2^31 of each other; and text keys sort as they did (the
 * same collation version), so a key range holds the rows it held. A
 * database restored into another cluster, or wound back to an earlier
 * point, fails `backupRowIsNewer`.
 */
export function horizonComparable(earlier: TSnapshotHorizon, now: TSnapshotHorizon): boolean {
  const [then, current] = [BigInt(earlier.xmin), BigInt(now.xmax)];
  return current >= BigInt(earlier.xmax) && current - then < HORIZON_SPAN_LIMIT && earlier.collation === now.collation;
}

/**
 * Whether the earlier snapshot's own `Backup` row was last written after
 * its horizon, as it must have been in this database (the row is marked
 * COMPLETED once the export's transaction has ended). False when the
 * database was brought back from elsewhere (a dump restored, a point-in-time
 * recovery to before the snapshot completed): then transaction ids no
 * longer say what changed, and every row is read.
 */
export async function backupRowIsNewer(
  sql: TSql,
  backupModel: TBackupModel,
  backupId: string,
  earlier: TSnapshotHorizon,
): Promise<boolean> {
  const [row] = await sql.query<{ newer: boolean }>(
    `SELECT age(xmin) <= age($2::text::xid) AS newer FROM ${qualifiedName(backupModel)} WHERE ${ident('id')} = $1`,
    backupId,
    xidOf(earlier.xmax),
  );
  return row?.newer === true;
}

/**
 * The key column of a model whose ranges can be compared: a model keyed by
 * one column that cannot be NULL (ranges of composite keys would need row
 * comparisons the bucket query does not make; those models are read whole).
 */
export function rangeKeyOf(model: TBackupModel): { name: string; sqlType: string } | null {
  if (model.rowKey.length !== 1) return null;
  const column = model.columns.find((candidate) => candidate.name === model.rowKey[0]);
  return column && !column.nullable ? { name: column.name, sqlType: column.sqlType } : null;
}

/** A key range's rows now, and whether any of them may have been written since the earlier snapshot. */
export interface TRangeState {
  rows: number;
  changed: boolean;
}

/**
 * The state of each key range `[first[i], first[i + 1])` of a model (the
 * first range open below, the last open above), given the first key of every
 * range but the first, in key order. One scan of the table on the server,
 * each row placed by a binary search of the bounds (`width_bucket`, which
 * compares as ORDER BY does); no row leaves the server.
 */
export async function rangeStates(sql: TSql, model: TBackupModel, bounds: string[], earlier: TSnapshotHorizon): Promise<TRangeState[]> {
  const key = rangeKeyOf(model);
  if (!key) throw new Error(`${model.name} is not keyed by one column`);
  const bucket = bounds.length > 0 ? `width_bucket(${ident(key.name)}, $2::text[]::${key.sqlType}[])` : '0';
  const rows = await sql.query<{ bucket: number; rows: number; changed: boolean }>(
    `SELECT ${bucket} AS bucket, count(*)::int AS rows, bool_or(age(xmin) <= age($1::text::xid)) AS changed
       FROM ${qualifiedName(model)} GROUP BY 1`,
    xidOf(earlier.xmin),
    ...(bounds.length > 0 ? [bounds] : []),
  );
  const states: TRangeState[] = Array.from({ length: bounds.length + 1 }, () => ({ rows: 0, changed: false }));
  for (const row of rows) states[Number(row.bucket)] = { rows: Number(row.rows), changed: row.changed === true };
  return states;
}
