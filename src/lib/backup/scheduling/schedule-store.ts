import type { BackupKind, BackupSchedule, Prisma, ScheduleKind } from '@/generated/prisma/client';
import { writeAudit } from '@/lib/audit/audit-log';
import { BackupError } from '../errors/errors';
import { describeSchedule } from '../schedule/describe';
import { isEmptyPolicy, type TRetentionPolicy } from '../schedule/retention';
import { ZRetentionPolicy } from '../schedule/schemas';
import { nextSlot, parseSchedule, type TSchedule } from '../schedule/slots';
import type { TBackupDeps } from '../service/deps';
import type { TScheduleInput, TScheduleUpdate } from './schedule-inputs';

/** A schedule as callers see it (`erp-backup schedule list --json`, the dashboard): plain JSON. */
export interface TScheduleView {
  id: string;
  /** What its slots do: take a backup (then prune), drill the newest backup, or scrub every backup's copies. */
  kind: ScheduleKind;
  /** For BACKUP schedules: FULL backups or INCREMENTAL snapshots (README, "Snapshots"). */
  backupKind: BackupKind;
  name: string;
  cron: string;
  timezone: string;
  /** "Every day at 02:00, Europe/London". */
  description: string;
  enabled: boolean;
  /** The next slot (may be in the past when a runner is due to catch it up); null when disabled. */
  nextRunAt: string | null;
  /** The slot of the latest run, and how it ended (null before the first run). */
  lastRunAt: string | null;
  lastStatus: 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | null;
  lastError: string | null;
  lastBackupId: string | null;
  retention: TRetentionPolicy;
  createdById: string | null;
  createdAt: string;
}

/**
 * The schedules a fresh install gets: protected by default (README,
 * "Schedules and retention"): a nightly backup, a weekly restore drill of the
 * newest backup, and a weekly scrub of every backup's copies.
 */
export const DEFAULT_SCHEDULES: readonly { kind: ScheduleKind; name: string; cron: string; retention: TRetentionPolicy }[] = [
  { kind: 'BACKUP', name: 'Nightly backup', cron: '0 2 * * *', retention: { keepDaily: 7, keepWeekly: 4, keepMonthly: 12 } },
  { kind: 'DRILL', name: 'Weekly restore drill', cron: '0 4 * * 0', retention: {} },
  { kind: 'SCRUB', name: 'Weekly scrub', cron: '0 5 * * 6', retention: {} },
];

/** Transaction-scoped advisory lock key: two processes starting together create one default schedule of each kind, not two. */
const DEFAULT_SCHEDULE_LOCK = 7_361_402_117;

/** The server's own IANA timezone, for the default schedules. */
export function serverTimezone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/**
 * Creates the default schedule of each kind the database never had a
 * schedule of (a fresh install gets all three; an upgraded one the kinds it
 * lacks). Removed schedules are kept (soft-deleted), so an administrator who
 * removed a default one does not see it come back. A new schedule owes
 * nothing for the time before `now`. Returns how many it made.
 */
export async function ensureDefaultSchedule(deps: TBackupDeps, now: Date, timezone = serverTimezone()): Promise<number> {
  return deps.db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${DEFAULT_SCHEDULE_LOCK}::bigint)`;
    const existing = await tx.backupSchedule.groupBy({ by: ['kind'], _count: true });
    const missing = DEFAULT_SCHEDULES.filter((schedule) => !existing.some((group) => group.kind === schedule.kind));
    for (const schedule of missing) {
      const created = await tx.backupSchedule.create({
        data: { ...schedule, retention: schedule.retention as Prisma.InputJsonObject, timezone, lastSlotAt: now, createdById: null },
      });
      await writeAudit(tx, deps.audit, {
        action: 'backup.schedule.created',
        outcome: 'SUCCESS',
        targetId: created.id,
        details: { kind: created.kind, name: created.name, cron: created.cron, timezone, retention: schedule.retention, default: true },
      });
    }
    return missing.length;
  });
}

/** The schedule checked, or INVALID_INPUT saying what is wrong with the expression or the timezone. */
function validSchedule(schedule: TSchedule): TSchedule {
  try {
    return parseSchedule(schedule);
  } catch (error) {
    throw new BackupError('INVALID_INPUT', error instanceof Error ? error.message : String(error));
  }
}

function retentionOf(row: BackupSchedule): TRetentionPolicy {
  const parsed = ZRetentionPolicy.safeParse(row.retention);
  // Written only through ZRetentionPolicy; a row edited by hand into nonsense keeps everything rather than guessing.
  return parsed.success ? parsed.data : {};
}

function toView(row: BackupSchedule, lastRun: TLastRun | undefined, now: Date): TScheduleView {
  const schedule = { cron: row.cron, timezone: row.timezone };
  const next = row.enabled ? nextSlot(schedule, row.lastSlotAt ?? row.createdAt) : null;
  return {
    id: row.id,
    kind: row.kind,
    backupKind: row.backupKind,
    name: row.name,
    cron: row.cron,
    timezone: row.timezone,
    description: describeSchedule(schedule),
    enabled: row.enabled,
    // A slot already due shows as now: a runner takes it within a poll.
    nextRunAt: next ? new Date(Math.max(next.getTime(), now.getTime())).toISOString() : null,
    lastRunAt: lastRun?.slot.toISOString() ?? null,
    lastStatus: lastRun?.status ?? null,
    lastError: lastRun?.error ?? null,
    lastBackupId: lastRun?.backupId ?? null,
    retention: retentionOf(row),
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
  };
}

type TLastRun = {
  scheduleId: string;
  slot: Date;
  status: TScheduleView['lastStatus'] & string;
  error: string | null;
  backupId: string | null;
};

/** The schedules that are not removed, oldest first, with their next and last runs. */
export async function listSchedules(deps: TBackupDeps, now: Date): Promise<TScheduleView[]> {
  const rows = await deps.db.prisma.backupSchedule.findMany({ where: { removedAt: null }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  const lastRuns = await deps.db.prisma.backupScheduleRun.findMany({
    where: { scheduleId: { in: rows.map((row) => row.id) } },
    orderBy: [{ scheduleId: 'asc' }, { slot: 'desc' }],
    distinct: ['scheduleId'],
    select: { scheduleId: true, slot: true, status: true, error: true, backupId: true },
  });
  const byId = new Map(lastRuns.map((run) => [run.scheduleId, run]));
  return rows.map((row) => toView(row, byId.get(row.id), now));
}

export async function findSchedule(deps: TBackupDeps, id: string): Promise<BackupSchedule> {
  const row = await deps.db.prisma.backupSchedule.findFirst({ where: { id, removedAt: null } });
  if (!row) throw new BackupError('NOT_FOUND', `Schedule ${id} does not exist`);
  return row;
}

export async function getSchedule(id: string, deps: TBackupDeps, now: Date): Promise<TScheduleView> {
  const row = await findSchedule(deps, id);
  const lastRun = await deps.db.prisma.backupScheduleRun.findFirst({ where: { scheduleId: id }, orderBy: { slot: 'desc' } });
  return toView(row, lastRun ?? undefined, now);
}

/** Drills and scrubs make no backups, so asking them for snapshots would do nothing: refused rather than silently kept. */
function refuseBackupKindOutsideBackups(kind: ScheduleKind, backupKind: BackupKind | undefined): void {
  if (kind !== 'BACKUP' && backupKind === 'INCREMENTAL') {
    throw new BackupError('INVALID_INPUT', `A ${kind.toLowerCase()} schedule makes no backups, so it cannot make snapshots`);
  }
}

/** Drills and scrubs make no backups, so a retention policy on them would do nothing: refused rather than silently kept. */
function refuseRetentionOutsideBackups(kind: ScheduleKind, retention: TRetentionPolicy | undefined): void {
  if (kind !== 'BACKUP' && retention && !isEmptyPolicy(retention)) {
    throw new BackupError('INVALID_INPUT', `A ${kind.toLowerCase()} schedule makes no backups, so it takes no retention policy`);
  }
}

function checkedPolicy(policy: TRetentionPolicy): Prisma.InputJsonObject {
  // A schedule without a policy keeps everything; an explicit empty one is what `prune` refuses.
  if (isEmptyPolicy(policy)) return {};
  return policy as Prisma.InputJsonObject;
}

/** Adds a schedule. Its first slot is the first one after now: a new schedule owes nothing for the past. */
export async function addSchedule(input: TScheduleInput, deps: TBackupDeps, now: Date): Promise<TScheduleView> {
  const schedule = validSchedule({ cron: input.cron, timezone: input.timezone ?? serverTimezone() });
  const kind = input.kind ?? 'BACKUP';
  refuseRetentionOutsideBackups(kind, input.retention);
  refuseBackupKindOutsideBackups(kind, input.backupKind);
  const row = await deps.db.prisma.backupSchedule.create({
    data: {
      kind,
      backupKind: input.backupKind ?? 'FULL',
      name: input.name ?? describeSchedule(schedule),
      cron: schedule.cron,
      timezone: schedule.timezone,
      enabled: input.enabled ?? true,
      retention: checkedPolicy(input.retention ?? {}),
      createdById: deps.audit.actorId,
      lastSlotAt: now,
    },
  });
  await writeAudit(deps.db.prisma, deps.audit, {
    action: 'backup.schedule.created',
    outcome: 'SUCCESS',
    targetId: row.id,
    details: {
      kind: row.kind,
      backupKind: row.backupKind,
      name: row.name,
      cron: row.cron,
      timezone: row.timezone,
      enabled: row.enabled,
      retention: row.retention,
    },
  });
  return toView(row, undefined, now);
}

/**
 * Changes a schedule. A new timing, or enabling it again, starts from now:
 * slots of the old expression, or those passed while it was disabled, are
 * not owed (no catch-up for them).
 */
export async function updateSchedule(id: string, input: TScheduleUpdate, deps: TBackupDeps, now: Date): Promise<TScheduleView> {
  const current = await findSchedule(deps, id);
  refuseRetentionOutsideBackups(current.kind, input.retention);
  refuseBackupKindOutsideBackups(current.kind, input.backupKind);
  const schedule = validSchedule({ cron: input.cron ?? current.cron, timezone: input.timezone ?? current.timezone });
  const retimed = schedule.cron !== current.cron || schedule.timezone !== current.timezone || (input.enabled === true && !current.enabled);
  const row = await deps.db.prisma.backupSchedule.update({
    where: { id },
    data: {
      name: input.name ?? current.name,
      backupKind: input.backupKind ?? current.backupKind,
      cron: schedule.cron,
      timezone: schedule.timezone,
      enabled: input.enabled ?? current.enabled,
      ...(input.retention ? { retention: checkedPolicy(input.retention) } : {}),
      ...(retimed ? { lastSlotAt: now } : {}),
    },
  });
  await writeAudit(deps.db.prisma, deps.audit, {
    action: 'backup.schedule.updated',
    outcome: 'SUCCESS',
    targetId: id,
    details: {
      name: row.name,
      backupKind: row.backupKind,
      cron: row.cron,
      timezone: row.timezone,
      enabled: row.enabled,
      retention: row.retention,
    },
  });
  return getSchedule(id, deps, now);
}

/** Removes a schedule (softly: its runs and backups keep their link). Its backups stay until deleted or pruned. */
export async function removeSchedule(id: string, deps: TBackupDeps, now: Date): Promise<{ id: string }> {
  const current = await findSchedule(deps, id);
  await deps.db.prisma.backupSchedule.update({ where: { id }, data: { removedAt: now, enabled: false } });
  await writeAudit(deps.db.prisma, deps.audit, {
    action: 'backup.schedule.removed',
    outcome: 'SUCCESS',
    targetId: id,
    details: { name: current.name, cron: current.cron, timezone: current.timezone },
  });
  return { id };
}
