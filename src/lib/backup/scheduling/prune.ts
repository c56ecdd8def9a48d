import type { Backup } from '@/generated/prisma/client';
import { writeAudit } from '@/lib/audit/audit-log';
import { BackupError, publicMessage } from '../errors/errors';
import type { TOperationLock } from '../lock/operation-lock';
import { isEmptyPolicy, planRetention, type TRetentionPlan, type TRetentionPolicy } from '../schedule/retention';
import { collectGarbageLocked } from '../service/collect-garbage';
import { removeBackupCopies } from '../service/delete-backup';
import type { TBackupDeps } from '../service/deps';
import { findSchedule, serverTimezone } from './schedule-store';

export interface TPruneResult {
  dryRun: boolean;
  /** The schedule whose backups were considered; null for the backups no schedule made. */
  scheduleId: string | null;
  policy: TRetentionPolicy;
  timezone: string;
  keep: { id: string; createdAt: string; reasons: string[] }[];
  remove: { id: string; createdAt: string }[];
  /** Backups actually removed (empty on a dry run). */
  removed: string[];
  /** Backups the policy would remove but that could not be (their copies stay; the next prune tries again). */
  failed: { id: string; error: string }[];
  /** When snapshots were removed: the garbage collection that followed (chunks no manifest references any more), or why it failed. */
  gc?: { chunksDeleted: number; bytesFreed: number } | { error: string };
}

export interface TPruneScope {
  scheduleId?: string;
  policy?: TRetentionPolicy;
  timezone?: string;
}

/** What a prune would keep and remove, and why. Changes nothing. */
export async function planPrune(scope: TPruneScope, deps: TBackupDeps, now: Date) {
  const schedule = scope.scheduleId ? await findSchedule(deps, scope.scheduleId) : null;
  // A policy given with a schedule is a preview of an edited policy (ZPruneInput allows it only on a dry run).
  const policy = (scope.policy ?? schedule?.retention) as TRetentionPolicy | undefined;
  const timezone = scope.timezone ?? schedule?.timezone ?? serverTimezone();
  if (!policy || isEmptyPolicy(policy)) {
    throw new BackupError(
      'INVALID_INPUT',
      schedule
        ? `Schedule "${schedule.name}" has no retention policy, so it keeps all its backups; nothing to prune`
        : 'An empty retention policy would delete every backup: give at least one --keep-… rule',
    );
  }
  // A schedule's own backups, or those no schedule made (manual and safety backups).
  const candidates = await deps.db.prisma.backup.findMany({
    where: { scheduleId: schedule?.id ?? null, status: { in: ['COMPLETED', 'RUNNING'] } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
  });
  const plan = planRetention(candidates, policy, { timezone, now });
  return { schedule, policy, timezone, plan: protectNewestOverall(plan, await newestCompleted(deps)), rows: candidates };
}

async function newestCompleted(deps: TBackupDeps): Promise<string | null> {
  const row = await deps.db.prisma.backup.findFirst({
    where: { status: 'COMPLETED' },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true },
  });
  return row?.id ?? null;
}

/** The newest backup of the whole database is never pruned, whichever policy looks at it. */
function protectNewestOverall(plan: TRetentionPlan, newestId: string | null): TRetentionPlan {
  const newest = plan.remove.find((backup) => backup.id === newestId);
  if (!newest) return plan;
  return {
    keep: [...plan.keep, { ...newest, reasons: ['newest'] }].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()),
    remove: plan.remove.filter((backup) => backup.id !== newestId),
  };
}

/** What a prune would keep (and why) and remove, as `prune --dry-run` shows it. Needs no lock: it changes nothing. */
export async function previewPrune(scope: TPruneScope, deps: TBackupDeps, now: Date): Promise<TPruneResult> {
  return resultOf(await planPrune(scope, deps, now), true);
}

function resultOf({ schedule, policy, timezone, plan }: Awaited<ReturnType<typeof planPrune>>, dryRun: boolean): TPruneResult {
  return {
    dryRun,
    scheduleId: schedule?.id ?? null,
    policy,
    timezone,
    keep: plan.keep.map((backup) => ({ id: backup.id, createdAt: backup.createdAt.toISOString(), reasons: backup.reasons })),
    remove: plan.remove.map((backup) => ({ id: backup.id, createdAt: backup.createdAt.toISOString() })),
    removed: [],
    failed: [],
  };
}

/**
 * Applies a retention policy (README, "Retention"): removes the local file and
 * off-site copy of each backup it does not keep and marks the rows DELETED,
 * then writes one `backup.pruned` audit row with what was removed and why the
 * rest was kept. The caller holds the operation lock. A backup pinned after
 * the plan was made is still spared: each row is read again just before its
 * copies go.
 */
export async function pruneLocked(scope: TPruneScope, deps: TBackupDeps, lock: TOperationLock, now: Date): Promise<TPruneResult> {
  const planned = await planPrune(scope, deps, now);
  const { schedule, policy, timezone, plan, rows } = planned;
  const result = resultOf(planned, false);
  if (plan.remove.length === 0) return result;
  const byId = new Map<string, Backup>(rows.map((row) => [row.id, row]));
  for (const { id } of plan.remove) {
    const current = await deps.db.prisma.backup.findUnique({ where: { id } });
    if (!current || current.pinned || current.status !== 'COMPLETED') continue;
    try {
      await removeBackupCopies(byId.get(id) ?? current, deps, lock);
      result.removed.push(id);
    } catch (error) {
      if (error instanceof BackupError && error.code === 'LOCK_LOST') throw error;
      result.failed.push({ id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  if (rows.some((row) => row.kind === 'INCREMENTAL' && result.removed.includes(row.id))) result.gc = await collectAfterPrune(deps, lock);
  await writeAudit(deps.db.prisma, deps.audit, {
    action: 'backup.pruned',
    outcome: result.failed.length === 0 ? 'SUCCESS' : 'FAILURE',
    targetId: schedule?.id ?? null,
    details: {
      policy,
      timezone,
      removed: result.removed,
      failed: result.failed,
      kept: result.keep.map((backup) => ({ id: backup.id, reasons: backup.reasons })),
    },
  });
  return result;
}

/**
 * Snapshots removed leave chunks no manifest references: collected now,
 * under the same lock (manifests first, chunks after). A failure here loses
 * nothing (the chunks stay until the next gc) and does not fail the prune.
 */
async function collectAfterPrune(deps: TBackupDeps, lock: TOperationLock): Promise<NonNullable<TPruneResult['gc']>> {
  try {
    const { chunksDeleted, bytesFreed } = await collectGarbageLocked({}, deps, lock);
    return { chunksDeleted, bytesFreed };
  } catch (error) {
    if (error instanceof BackupError && error.code === 'LOCK_LOST') throw error;
    deps.log?.(`Unreferenced snapshot chunks could not be collected after the prune (erp-backup gc retries): ${publicMessage(error)}`);
    return { error: publicMessage(error) };
  }
}
