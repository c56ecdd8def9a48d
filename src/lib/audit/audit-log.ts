import type { PrismaClient } from '@/generated/prisma/client';
import type { AuditOutcome } from '@/generated/prisma/enums';

/** Who did something and from where; `actorId` null means the system (a schedule, the CLI). */
export interface TAuditContext {
  actorId: string | null;
  actorEmail?: string | null;
  ipAddress?: string | null;
  userAgent?: string | null;
}

export const SYSTEM_ACTOR: TAuditContext = { actorId: null };

export interface TAuditEntry {
  /** Dotted name such as `backup.created`, `backup.restore.started`, `backup.restored`. */
  action: string;
  outcome: AuditOutcome;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/*
 * The audit policy, in one place. Every row goes through one of two doors:
 *
 * - `writeAudit`, must succeed: the row is part of the operation, and the
 *   operation fails without it. A restore's SUCCESS row is written in the
 *   restore's transaction (its absence means the restore did not happen); a
 *   download is not served unless its row is written.
 * - `writeAuditBestEffort`: the row records an outcome that has already
 *   happened and cannot be undone (a backup written, a file deleted, a
 *   failure, a verify, a sync, a refused request). Failing the call then
 *   would report the wrong outcome to the caller, so a failed write is
 *   logged, naming the row, and the caller goes on.
 *
 * No audit write is ever silently dropped.
 */

/**
 * The must-succeed door: throws if the row cannot be written. `prisma` may
 * be a transaction, to commit the record together with what it records.
 */
export async function writeAudit(prisma: Pick<PrismaClient, 'auditLog'>, context: TAuditContext, entry: TAuditEntry): Promise<void> {
  const row = auditRow(context, entry);
  await prisma.auditLog.create({ data: { ...row, details: (row.details ?? undefined) as object | undefined } });
}

/** The columns of an audit row, the one definition both doors write. */
function auditRow(context: TAuditContext, entry: TAuditEntry) {
  return {
    action: entry.action,
    outcome: entry.outcome,
    targetId: entry.targetId ?? null,
    details: entry.details ?? null,
    actorId: context.actorId,
    actorEmail: context.actorEmail ?? null,
    ipAddress: context.ipAddress ?? null,
    userAgent: context.userAgent ?? null,
  };
}

/** Runs one parameterised statement on a connection that is not Prisma's (`$1`, `$2`… placeholders). */
export type TAuditStatement = (sql: string, params: (string | null)[]) => Promise<unknown>;

/**
 * The must-succeed door on a connection of the caller's own (a restore's
 * transaction straight on the driver, where COPY runs): the same row as
 * `writeAudit`, committed or rolled back with the caller's transaction.
 */
export async function writeAuditOn(execute: TAuditStatement, context: TAuditContext, entry: TAuditEntry): Promise<void> {
  const row = auditRow(context, entry);
  const columns = Object.keys(row);
  const values = Object.values(row).map((value) => (value === null || typeof value === 'string' ? value : JSON.stringify(value)));
  const casts: Partial<Record<string, string>> = { outcome: '::"AuditOutcome"', details: '::jsonb' };
  await execute(
    `INSERT INTO "AuditLog" (${columns.map((column) => `"${column}"`).join(', ')}) VALUES (${columns
      .map((column, i) => `$${i + 1}${casts[column] ?? ''}`)
      .join(', ')})`,
    values,
  );
}

/**
 * The same trail for events that come in floods (refused requests): every
 * call with the same `key` adds 1 to one row's `count` instead of adding a
 * row, and returns the count after this call. One statement, `INSERT … ON
 * CONFLICT ("aggregationKey") DO UPDATE`, so concurrent calls on any number
 * of app instances neither lose a count nor fail on the unique key. The
 * first call's context and details are kept. Throws like `writeAudit`.
 */
export async function countAudit(prisma: PrismaClient, context: TAuditContext, entry: TAuditEntry, key: string): Promise<number> {
  const details = entry.details === undefined ? null : JSON.stringify(entry.details);
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    INSERT INTO "AuditLog" ("action", "outcome", "targetId", "details", "actorId", "actorEmail", "ipAddress", "userAgent", "aggregationKey")
    VALUES (${entry.action}, ${entry.outcome}::"AuditOutcome", ${entry.targetId ?? null}, ${details}::jsonb, ${context.actorId},
            ${context.actorEmail ?? null}, ${context.ipAddress ?? null}, ${context.userAgent ?? null}, ${key})
    ON CONFLICT ("aggregationKey") DO UPDATE SET "count" = "AuditLog"."count" + 1
    RETURNING "count"`;
  if (!row) throw new Error(`The audit row ${entry.action} was not written`);
  return row.count;
}

/**
 * The best-effort door (see the policy above): writes the row, through
 * `retry` when given (e.g. once more on a lost connection), and if that
 * fails, tells `log` which row was lost and why instead of throwing.
 */
export async function writeAuditBestEffort(
  prisma: Pick<PrismaClient, 'auditLog'>,
  context: TAuditContext,
  entry: TAuditEntry,
  log: (message: string) => void,
  retry: (write: () => Promise<void>) => Promise<void> = (write) => write(),
): Promise<void> {
  try {
    await retry(() => writeAudit(prisma, context, entry));
  } catch (error) {
    const target = entry.targetId ? ` for ${entry.targetId}` : '';
    log(
      `The audit row ${entry.action} (${entry.outcome})${target} could not be written: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}
