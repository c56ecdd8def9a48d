import type { BackupSchedule, BackupScheduleRun, ScheduleKind } from '@/generated/prisma/client';
import { writeAudit } from '@/lib/audit/audit-log';
import { sendHeartbeat } from '../alerts/heartbeat';
import { BackupError, publicMessage } from '../errors/errors';
import { isEmptyPolicy, type TRetentionPolicy } from '../schedule/retention';
import { createBackupLocked } from '../service/create-backup';
import type { TBackupDeps } from '../service/deps';
import { drillBackup } from '../service/drill-backup';
import { exclusive } from '../service/exclusive';
import { scrubBackups } from '../service/scrub/scrub-backups';
import { pruneLocked } from './prune';
import { endRun, LEASE_RENEW_MS, renewLease, type TRunEnd } from './run-queue';

/** How long a slot that finds another backup or restore running keeps trying, from when it was claimed. */
export const BUSY_WINDOW_MS = 30 * 60_000;
/** How soon a slot that found the lock taken tries again. */
export const BUSY_RETRY_MS = 30_000;
/** Attempts of a failing scheduled backup before it is reported as failed. */
export const MAX_ATTEMPTS = 4;
/** Wait before attempt n + 1 after n failed: 1, 5 and 15 minutes. */
const BACKOFF_MS = [60_000, 5 * 60_000, 15 * 60_000];

export interface TRunOutcome {
  runId: string;
  scheduleId: string;
  slot: string;
  missedSlots: number;
  attempt: number;
  status: 'SUCCEEDED' | 'RETRYING' | 'WAITING' | 'FAILED' | 'STOPPED' | 'LOST';
  backupId: string | null;
  error: string | null;
}

export interface TRunContext {
  runnerId: string;
  clock: () => Date;
}

/**
 * Runs one claimed slot: a SCHEDULED backup under the operation lock, then
 * the schedule's retention policy. Keeps the run's claim alive while it
 * works. Busy (another backup or restore running): tried again every 30 s for
 * 30 minutes. Failed: tried again with backoff, then FAILED, audited
 * (`backup.schedule.failed`) and logged. Stopped (SIGTERM): back to the queue
 * uncounted, so the next runner takes it.
 */
/** What a slot's task did: the backup it made or read, and a finding that ends the run FAILED without retries. */
export interface TTaskDone {
  backupId: string | null;
  finding: string | null;
}

/** What each kind of schedule does in a slot. Each takes the operation lock as its work needs it. */
const SCHEDULED_TASKS: Record<ScheduleKind, (run: BackupScheduleRun, deps: TBackupDeps, schedule: BackupSchedule) => Promise<TTaskDone>> = {
  BACKUP: async (run, deps, schedule) => {
    // A full backup or a snapshot, as the schedule says (hourly snapshots beside a weekly full, say).
    const summary = await exclusive(deps, (lock) =>
      createBackupLocked({ kind: schedule.backupKind }, deps, lock, { schedule: { id: run.scheduleId, slot: run.slot } }),
    );
    return { backupId: summary.id, finding: null };
  },
  DRILL: async (_run, deps) => {
    // The newest completed backup: the one a school would restore today.
    const drill = await drillBackup({}, deps);
    const finding = drill.firstDifference
      ? `The restore drill of backup ${drill.backupId} failed: ${drill.firstDifference.model ?? 'the file'}: ${drill.firstDifference.reason}`
      : 'The restore drill failed';
    return { backupId: drill.backupId, finding: drill.status === 'OK' ? null : finding };
  },
  SCRUB: async (_run, deps) => {
    const result = await scrubBackups(deps);
    if (result.clean) return { backupId: null, finding: null };
    const problems = [...result.damaged, ...result.unchecked].map((copy) => `${copy.copy} copy of ${copy.id}: ${copy.problem}`);
    return { backupId: null, finding: `The scrub found ${problems.length} copy problem(s): ${problems.join('; ')}` };
  },
};

export async function executeRun(run: BackupScheduleRun, deps: TBackupDeps, context: TRunContext): Promise<TRunOutcome> {
  const outcome = (status: TRunOutcome['status'], backupId: string | null, error: string | null): TRunOutcome => ({
    runId: run.id,
    scheduleId: run.scheduleId,
    slot: run.slot.toISOString(),
    missedSlots: run.missedSlots,
    attempt: run.attempts,
    status,
    backupId,
    error,
  });
  const schedule = await deps.db.prisma.backupSchedule.findUnique({ where: { id: run.scheduleId } });
  if (!schedule || schedule.removedAt || !schedule.enabled) {
    const error = 'The schedule was disabled or removed before this slot ran';
    await endRun(deps, run.id, context.runnerId, { status: 'FAILED', error }, context.clock());
    return outcome('FAILED', null, error);
  }
  const heartbeat = keepClaim(deps, run.id, context);
  let end: TRunEnd;
  let result: TRunOutcome;
  let finding = false;
  try {
    const done = await SCHEDULED_TASKS[schedule.kind](run, deps, schedule);
    // A finding (a drill that does not match, damage a scrub could not repair) is the task's result, not a
    // transient failure: it is not retried, and the task has raised its own alert.
    finding = done.finding !== null;
    end = done.finding
      ? { status: 'FAILED', error: done.finding, backupId: done.backupId }
      : { status: 'SUCCEEDED', backupId: done.backupId };
    result = outcome(done.finding ? 'FAILED' : 'SUCCEEDED', done.backupId, done.finding);
  } catch (error) {
    [end, result] = failureOf(run, error, context.clock(), outcome);
  } finally {
    clearInterval(heartbeat);
  }
  const recorded = await endRun(deps, run.id, context.runnerId, end, context.clock());
  if (!recorded) {
    // The claim expired and another runner took the run over: its record stands.
    deps.log?.(`[scheduler] Lost the claim on the ${run.slot.toISOString()} slot of schedule ${run.scheduleId}; another runner has it`);
    return { ...result, status: 'LOST' };
  }
  if (result.status === 'FAILED' && !finding) await reportFailure(deps, run, result, schedule.kind);
  if (result.status === 'SUCCEEDED') {
    await reportSuccess(deps, run, result, schedule.kind);
  }
  if (result.status === 'SUCCEEDED' && schedule.kind === 'BACKUP') {
    await applyRetention(deps, run.scheduleId, schedule.retention as TRetentionPolicy, context);
  }
  return result;
}

function failureOf(
  run: BackupScheduleRun,
  error: unknown,
  now: Date,
  outcome: (status: TRunOutcome['status'], backupId: string | null, error: string | null) => TRunOutcome,
): [TRunEnd, TRunOutcome] {
  const message = publicMessage(error);
  const code = error instanceof BackupError ? error.code : 'INTERNAL';
  if (code === 'INTERRUPTED') {
    return [{ status: 'PENDING', notBefore: now, countAttempt: false, error: message }, outcome('STOPPED', null, message)];
  }
  if (code === 'BUSY') {
    if (now.getTime() - run.createdAt.getTime() < BUSY_WINDOW_MS) {
      const notBefore = new Date(now.getTime() + BUSY_RETRY_MS);
      return [{ status: 'PENDING', notBefore, countAttempt: false, error: message }, outcome('WAITING', null, message)];
    }
    const waited = `Another backup or restore was running for the whole ${BUSY_WINDOW_MS / 60_000}-minute window of this slot (${message})`;
    return [{ status: 'FAILED', error: waited }, outcome('FAILED', null, waited)];
  }
  if (run.attempts < MAX_ATTEMPTS) {
    const notBefore = new Date(now.getTime() + (BACKOFF_MS[run.attempts - 1] ?? BACKOFF_MS[BACKOFF_MS.length - 1] ?? 60_000));
    return [{ status: 'PENDING', notBefore, countAttempt: true, error: message }, outcome('RETRYING', null, message)];
  }
  return [{ status: 'FAILED', error: message }, outcome('FAILED', null, message)];
}

/** Renews the run's claim while the backup runs; a renewal that fails is only logged (the claim then expires and the run is retried). */
function keepClaim(deps: TBackupDeps, runId: string, context: TRunContext): NodeJS.Timeout {
  const timer = setInterval(() => {
    renewLease(deps, runId, context.runnerId, context.clock()).then(
      (held) => {
        if (!held) deps.log?.(`[scheduler] The claim on run ${runId} was lost while its backup ran`);
      },
      (error: unknown) => deps.log?.(`[scheduler] Could not renew the claim on run ${runId}: ${publicMessage(error)}`),
    );
  }, LEASE_RENEW_MS);
  timer.unref();
  return timer;
}

/** The incident a schedule's failed backups open and its next success closes. */
const failureIncident = (scheduleId: string) => `backup.failed:${scheduleId}`;

/** A scheduled backup that failed for good reaches a person: the audit trail, the log and an alert (once per incident). */
async function reportFailure(deps: TBackupDeps, run: BackupScheduleRun, result: TRunOutcome, kind: ScheduleKind): Promise<void> {
  deps.log?.(
    `[scheduler] The scheduled ${KIND_WORDS[kind]} for ${result.slot} (schedule ${run.scheduleId}) failed after ${run.attempts} attempt(s): ${result.error}`,
  );
  await writeAudit(deps.db.prisma, deps.audit, {
    action: 'backup.schedule.failed',
    outcome: 'FAILURE',
    targetId: run.scheduleId,
    details: { runId: run.id, slot: result.slot, attempts: run.attempts, error: result.error },
  });
  await deps.alert?.({
    event: 'backup.failed',
    severity: 'critical',
    message: `The scheduled ${KIND_WORDS[kind]} of ${result.slot} failed after ${run.attempts} attempt(s): ${result.error}`,
    scheduleId: run.scheduleId,
    incidentKey: failureIncident(run.scheduleId),
  });
}

/** A scheduled backup that succeeded: ends the schedule's failure incident, if one is open, and pings the heartbeat monitor. */
async function reportSuccess(deps: TBackupDeps, run: BackupScheduleRun, result: TRunOutcome, kind: ScheduleKind): Promise<void> {
  await deps.alert?.({
    event: 'recovered',
    severity: 'info',
    message: `The schedule works again: its ${KIND_WORDS[kind]} of ${result.slot} completed.`,
    backupId: result.backupId,
    scheduleId: run.scheduleId,
    incidentKey: failureIncident(run.scheduleId),
  });
  // The heartbeat says "a backup was made": drills and scrubs make none.
  if (kind === 'BACKUP') await sendHeartbeat(deps);
}

const KIND_WORDS: Record<ScheduleKind, string> = { BACKUP: 'backup', DRILL: 'restore drill', SCRUB: 'scrub' };

/**
 * The schedule's retention policy after each of its backups. Not part of the
 * run's outcome: a backup that was made stays made; a prune that cannot run
 * now (busy, storage down) is logged and happens after the next backup.
 */
async function applyRetention(deps: TBackupDeps, scheduleId: string, policy: TRetentionPolicy, context: TRunContext): Promise<void> {
  if (isEmptyPolicy(policy)) return;
  try {
    const pruned = await exclusive(deps, (lock) => pruneLocked({ scheduleId }, deps, lock, context.clock()));
    if (pruned.removed.length > 0) deps.log?.(`[scheduler] Retention removed ${pruned.removed.length} backup(s) of schedule ${scheduleId}`);
    for (const failure of pruned.failed) deps.log?.(`[scheduler] Retention could not remove backup ${failure.id}: ${failure.error}`);
    if (pruned.gc && 'chunksDeleted' in pruned.gc && pruned.gc.chunksDeleted > 0)
      deps.log?.(`[scheduler] Retention freed ${pruned.gc.chunksDeleted} snapshot chunk(s), ${pruned.gc.bytesFreed} bytes`);
  } catch (error) {
    deps.log?.(
      `[scheduler] Retention of schedule ${scheduleId} did not run (it runs again after the next backup): ${publicMessage(error)}`,
    );
  }
}
