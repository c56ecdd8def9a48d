import type { BackupScheduleRun } from '@/generated/prisma/client';
import { writeAudit } from '@/lib/audit/audit-log';
import { sendHeartbeat } from '../alerts/heartbeat';
import { BackupError, publicMessage } from '../errors/errors';
import { isEmptyPolicy, type TRetentionPolicy } from '../schedule/retention';
import { createBackupLocked } from '../service/create-backup';
import type { TBackupDeps } from '../service/deps';
import { exclusive } from '../service/exclusive';
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
  try {
    const summary = await exclusive(deps, (lock) =>
      createBackupLocked({}, deps, lock, { schedule: { id: run.scheduleId, slot: run.slot } }),
    );
    end = { status: 'SUCCEEDED', backupId: summary.id };
    result = outcome('SUCCEEDED', summary.id, null);
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
  if (result.status === 'FAILED') await reportFailure(deps, run, result);
  if (result.status === 'SUCCEEDED') {
    await reportSuccess(deps, run, result);
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
async function reportFailure(deps: TBackupDeps, run: BackupScheduleRun, result: TRunOutcome): Promise<void> {
  deps.log?.(
    `[scheduler] The scheduled backup for ${result.slot} (schedule ${run.scheduleId}) failed after ${run.attempts} attempt(s): ${result.error}`,
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
    message: `The scheduled backup of ${result.slot} failed after ${run.attempts} attempt(s): ${result.error}`,
    scheduleId: run.scheduleId,
    incidentKey: failureIncident(run.scheduleId),
  });
}

/** A scheduled backup that succeeded: ends the schedule's failure incident, if one is open, and pings the heartbeat monitor. */
async function reportSuccess(deps: TBackupDeps, run: BackupScheduleRun, result: TRunOutcome): Promise<void> {
  await deps.alert?.({
    event: 'recovered',
    severity: 'info',
    message: `Scheduled backups work again: the backup of ${result.slot} completed.`,
    backupId: result.backupId,
    scheduleId: run.scheduleId,
    incidentKey: failureIncident(run.scheduleId),
  });
  await sendHeartbeat(deps);
}

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
  } catch (error) {
    deps.log?.(
      `[scheduler] Retention of schedule ${scheduleId} did not run (it runs again after the next backup): ${publicMessage(error)}`,
    );
  }
}
