import 'server-only';
import { SYSTEM_ACTOR, type TAuditContext } from '@/lib/audit/audit-log';
import type { TTestAlertResult } from '@/lib/backup/alerts/test-alert';
import { parseInput, ZBackupId, ZCreateBackupInput, ZGcInput, ZRestoreOptions } from '@/lib/backup/api/inputs';
import { type TServiceResult, toResult } from '@/lib/backup/api/result';
import { whenInterrupted } from '@/lib/backup/process/interrupt';
import { backupLog } from '@/lib/backup/process/log';
import { getProgress, percentOf, type TProgress } from '@/lib/backup/process/progress';
import { sendTestAlertFromEnv } from '@/lib/backup/runtime/alerts';
import { jobPlacementFromEnv } from '@/lib/backup/runtime/job-placement';
import { runJob } from '@/lib/backup/runtime/job-runner';
import { defaultBackupDeps } from '@/lib/backup/runtime/runtime';
import {
  type TPruneInput,
  type TScheduleInput,
  type TScheduleUpdate,
  ZPruneInput,
  ZScheduleId,
  ZScheduleInput,
  ZScheduleUpdate,
} from '@/lib/backup/scheduling/schedule-inputs';
import * as service from '@/lib/backup/service';

/**
 * The backup module's public API, used by the server actions, the CLI and
 * the scheduler. A thin facade: each function resolves its dependencies (or
 * takes them, in tests) and turns errors into `{ success: false, error }`.
 * The work lives in `src/lib/backup/`.
 */
export type { TTestAlertResult } from '@/lib/backup/alerts/test-alert';
export type { TServiceResult } from '@/lib/backup/api/result';
export type { TRetentionPolicy } from '@/lib/backup/schedule/retention';
export type { TPruneInput, TScheduleInput, TScheduleUpdate } from '@/lib/backup/scheduling/schedule-inputs';
/** The server's IANA timezone: new schedules default to it (the dashboard preselects it). */
export { serverTimezone } from '@/lib/backup/scheduling/schedule-store';
export type {
  TBackupHealth,
  TBackupSummary,
  TDeleteResult,
  TDrillResult,
  TGcResult,
  TIncidentView,
  TPruneResult,
  TRebuildIndexResult,
  TRestorePlan,
  TRestoreResult,
  TRunDueResult,
  TScheduleView,
  TScrubResult,
  TVerifyResult,
} from '@/lib/backup/service';

export interface TCallOptions {
  /** Who is acting, for the audit trail; the system when omitted. */
  actor?: TAuditContext;
  /** Injected dependencies (tests); from the environment when omitted. */
  deps?: service.TBackupDeps;
  /** The time schedules and retention are judged at (tests); the system clock when omitted. */
  clock?: () => Date;
  /**
   * Run a backup, restore or drill in a backup child process of its own when
   * the database allows it (runtime/job-placement.ts): the web server's
   * operations, so they do not compete with its pages. In this process with
   * injected `deps`, which cannot cross to another process.
   */
  ownProcess?: boolean;
}

const depsFor = async (options: TCallOptions) => options.deps ?? defaultBackupDeps(options.actor ?? SYSTEM_ACTOR);
const inChild = (options: TCallOptions) => options.ownProcess === true && !options.deps && jobPlacementFromEnv() === 'child-process';
const nowFor = (options: TCallOptions) => (options.clock ?? (() => new Date()))();

/** Makes a backup; `onStarted` is told its id as soon as its RUNNING row exists. */
export async function createBackup(
  input: service.TCreateBackupInput = {},
  options: TCallOptions & { onStarted?: (id: string) => void } = {},
): Promise<TServiceResult<service.TBackupSummary>> {
  return toResult(async () =>
    service.createBackup(parseInput(ZCreateBackupInput, input), await depsFor(options), { onStarted: options.onStarted }),
  );
}

export async function listBackups(
  options: TCallOptions & { includeDeleted?: boolean } = {},
): Promise<TServiceResult<service.TBackupSummary[]>> {
  return toResult(async () => service.listBackups(await depsFor(options), { includeDeleted: options.includeDeleted }));
}

export async function verifyBackup(id: string, options: TCallOptions = {}): Promise<TServiceResult<service.TVerifyResult>> {
  return toResult(async () => service.verifyBackup(parseInput(ZBackupId, id), await depsFor(options)));
}

/** A restore's result, with `recordsRestored` also at the top, as the ERP's pages expect. */
export type TRestoreServiceResult = TServiceResult<service.TRestoreResult> & { recordsRestored?: number };

async function restoreResult(operation: () => Promise<service.TRestoreResult>): Promise<TRestoreServiceResult> {
  const result = await toResult(operation);
  return result.success ? { ...result, recordsRestored: result.data.recordsRestored } : result;
}

/** What restoring a recorded backup would replace and empty, for the confirmation dialog (changes nothing). */
export async function planRestore(id: string, options: TCallOptions = {}): Promise<TServiceResult<service.TRestorePlan>> {
  return toResult(async () => service.planRestore(parseInput(ZBackupId, id), await depsFor(options)));
}

/** Restores a recorded backup. */
export async function restoreBackup(
  id: string,
  restoreOptions: service.TRestoreOptions,
  options: TCallOptions = {},
): Promise<TRestoreServiceResult> {
  if (inChild(options)) {
    const request = await toResult(async () => ({ id: parseInput(ZBackupId, id), options: parseInput(ZRestoreOptions, restoreOptions) }));
    if (!request.success) return request;
    // The child returns this very function's result, recordsRestored included.
    return (await runJob({ operation: 'restore', ...request.data, actor: options.actor ?? SYSTEM_ACTOR }).result) as TRestoreServiceResult;
  }
  return restoreResult(async () =>
    service.restoreBackup(parseInput(ZBackupId, id), parseInput(ZRestoreOptions, restoreOptions), await depsFor(options)),
  );
}

/** Disaster recovery from a file path or `s3://bucket/key` given by an operator (never by a web request). */
export async function restoreFromFile(
  source: string,
  restoreOptions: service.TRestoreOptions,
  options: TCallOptions = {},
): Promise<TRestoreServiceResult> {
  return restoreResult(async () => service.restoreFromFile(source, parseInput(ZRestoreOptions, restoreOptions), await depsFor(options)));
}

export async function deleteBackup(id: string, options: TCallOptions = {}): Promise<TServiceResult<service.TDeleteResult>> {
  return toResult(async () => service.deleteBackup(parseInput(ZBackupId, id), await depsFor(options)));
}

/**
 * Restores a backup (the newest COMPLETED one when `id` is omitted) into a
 * throwaway database and proves every model's rows and digest (README,
 * "Restore drills"). A FAILED drill is a success of the call: `data.status` says it.
 */
export async function drillBackup(id?: string, options: TCallOptions = {}): Promise<TServiceResult<service.TDrillResult>> {
  if (inChild(options)) {
    const checked = await toResult(async () => (id === undefined ? undefined : parseInput(ZBackupId, id)));
    if (!checked.success) return checked;
    return (await runJob({ operation: 'drill', id: checked.data, actor: options.actor ?? SYSTEM_ACTOR })
      .result) as TServiceResult<service.TDrillResult>;
  }
  return toResult(async () =>
    service.drillBackup({ id: id === undefined ? undefined : parseInput(ZBackupId, id) }, await depsFor(options)),
  );
}

/** Uploads completed backups that have no off-site copy yet (after a failed upload). */
export async function syncUploads(
  options: TCallOptions = {},
): Promise<TServiceResult<{ uploaded: string[]; failed: { id: string; error: string }[] }>> {
  return toResult(async () => service.syncUploads(await depsFor(options)));
}

/**
 * Deletes the snapshot chunks no manifest references (README, "Snapshots"),
 * under the operation lock; `dryRun` only counts them.
 */
export async function collectGarbage(
  input: { dryRun?: boolean } = {},
  options: TCallOptions = {},
): Promise<TServiceResult<service.TGcResult>> {
  return toResult(async () => service.collectGarbage(parseInput(ZGcInput, input), await depsFor(options)));
}

/** Rebuilds the chunk index (`BackupChunk`) from the manifests and chunks in the storage. */
export async function rebuildChunkIndex(options: TCallOptions = {}): Promise<TServiceResult<service.TRebuildIndexResult>> {
  return toResult(async () => service.rebuildChunkIndex(await depsFor(options)));
}

/**
 * Checks every copy of every completed backup (present, size, SHA-256, auth
 * tag), repairs a bad copy from the good one, and records and alerts what
 * stays bad (README, "Scrubbing").
 */
export async function scrubBackups(options: TCallOptions = {}): Promise<TServiceResult<service.TScrubResult>> {
  return toResult(async () => service.scrubBackups(await depsFor(options), { clock: options.clock }));
}

/** A completed backup's encrypted file as a stream, for download (audited). */
export async function openBackupForDownload(id: string, options: TCallOptions = {}) {
  return toResult(async () => service.openBackupForDownload(parseInput(ZBackupId, id), await depsFor(options)));
}

/** One backup's metadata. */
export async function getBackup(id: string, options: TCallOptions = {}): Promise<TServiceResult<service.TBackupSummary>> {
  return toResult(async () => service.getBackupRow(parseInput(ZBackupId, id), await depsFor(options)));
}

/**
 * Starts a backup and returns its id once it is running; poll `getBackupProgress(id)` for the rest.
 * With `ownProcess` it runs in a backup child process whose progress is relayed into this one.
 */
export async function startBackup(
  input: service.TCreateBackupInput = {},
  options: TCallOptions = {},
): Promise<TServiceResult<{ id: string }>> {
  if (inChild(options)) {
    const checked = await toResult(async () => parseInput(ZCreateBackupInput, input));
    if (!checked.success) return checked;
    const job = runJob({ operation: 'backup', input: checked.data, actor: options.actor ?? SYSTEM_ACTOR });
    const id = await job.started;
    // Before the start, a failure (busy, no key) is the caller's answer; after it, the row records it.
    if (id !== null) return { success: true, data: { id } };
    const result = await job.result;
    return result.success ? { success: false, error: 'The backup finished without reporting its id', code: 'INTERNAL' } : result;
  }
  return toResult(async () => {
    const { id } = await service.startBackup(parseInput(ZCreateBackupInput, input), await depsFor(options));
    return { id };
  });
}

export interface TBackupProgressView {
  id: string;
  status: service.TBackupSummary['status'];
  phase: TProgress['phase'] | null;
  percent: number;
  rowsDone: number;
  rowsTotal: number;
  bytesWritten: number;
  currentModel: string | null;
  error: string | null;
}

/**
 * Where a backup is: live progress while this process runs it, else what its
 * row says (finished, failed, or running in another instance).
 */
export async function getBackupProgress(id: string, options: TCallOptions = {}): Promise<TServiceResult<TBackupProgressView>> {
  return toResult(async () => {
    const row = await service.getBackupRow(parseInput(ZBackupId, id), await depsFor(options));
    const live = getProgress(row.id);
    return {
      id: row.id,
      status: row.status,
      phase: live?.phase ?? null,
      percent: row.status === 'COMPLETED' ? 100 : live ? percentOf(live) : 0,
      rowsDone: live?.rowsDone ?? row.totalRows ?? 0,
      rowsTotal: live?.rowsTotal ?? row.totalRows ?? 0,
      bytesWritten: live?.bytesWritten ?? row.sizeBytes ?? 0,
      currentModel: live?.currentModel ?? null,
      error: row.error,
    };
  });
}

/** The backup schedules, with their next run, last result and retention policy. */
export async function listSchedules(options: TCallOptions = {}): Promise<TServiceResult<service.TScheduleView[]>> {
  return toResult(async () => {
    const deps = await depsFor(options);
    // A fresh install shows its default schedule even before a runner has started.
    const now = nowFor(options);
    await service.ensureDefaultSchedule(deps, now);
    return service.listSchedules(deps, now);
  });
}

/** Adds a schedule (cron expression and timezone checked; a clear error names what is wrong). */
export async function addSchedule(input: TScheduleInput, options: TCallOptions = {}): Promise<TServiceResult<service.TScheduleView>> {
  return toResult(async () => service.addSchedule(parseInput(ZScheduleInput, input), await depsFor(options), nowFor(options)));
}

/** Changes a schedule's name, timing, timezone, retention policy or whether it is enabled. */
export async function updateSchedule(
  id: string,
  input: TScheduleUpdate,
  options: TCallOptions = {},
): Promise<TServiceResult<service.TScheduleView>> {
  return toResult(async () =>
    service.updateSchedule(parseInput(ZScheduleId, id), parseInput(ZScheduleUpdate, input), await depsFor(options), nowFor(options)),
  );
}

/** Removes a schedule; the backups it made stay. */
export async function removeSchedule(id: string, options: TCallOptions = {}): Promise<TServiceResult<{ id: string }>> {
  return toResult(async () => service.removeSchedule(parseInput(ZScheduleId, id), await depsFor(options), nowFor(options)));
}

/** Applies a retention policy, or with `dryRun` shows what it would keep (and why) and remove. */
export async function pruneBackups(input: TPruneInput, options: TCallOptions = {}): Promise<TServiceResult<service.TPruneResult>> {
  return toResult(async () => service.pruneBackups(parseInput(ZPruneInput, input), await depsFor(options), nowFor(options)));
}

/** Pins (kept by every retention policy) or unpins a backup. */
export async function setBackupPinned(
  id: string,
  pinned: boolean,
  options: TCallOptions = {},
): Promise<TServiceResult<service.TBackupSummary>> {
  return toResult(async () => service.setPinned(parseInput(ZBackupId, id), pinned, await depsFor(options)));
}

/** One pass of a schedule runner: claims and runs what is due now (catch-up included). */
export async function runDueSchedules(options: TCallOptions = {}): Promise<TServiceResult<service.TRunDueResult>> {
  return toResult(async () =>
    service.runDue(await depsFor(options), { runnerId: service.newRunnerId(), clock: options.clock ?? (() => new Date()) }),
  );
}

/** What a foreground runner did before it was stopped. */
export interface TSchedulerSummary {
  stoppedBy: string;
  passes: number;
  runs: number;
}

/**
 * Runs the schedules in the foreground, a pass every 15 s, until this process
 * is asked to stop (`erp-backup scheduler`: SIGTERM or SIGINT): a running
 * backup is then interrupted (FAILED, its files removed) and its slot goes
 * back to the queue for the next runner.
 */
export async function runScheduler(
  options: TCallOptions & { onPass?: (result: service.TRunDueResult) => void } = {},
): Promise<TServiceResult<TSchedulerSummary>> {
  return toResult(async () => {
    let passes = 0;
    let runs = 0;
    const scheduler = service.startScheduler({
      deps: () => depsFor(options),
      log: backupLog,
      clock: options.clock,
      onPass: (result) => {
        passes++;
        runs += result.runs.length;
        options.onPass?.(result);
      },
    });
    const stoppedBy = await whenInterrupted();
    await scheduler.stop();
    return { stoppedBy, passes, runs };
  });
}

/** The backups' health: age of the newest backup, next run, open incidents (GET /api/health/backups, `erp-backup health`). */
export async function backupHealth(options: TCallOptions = {}): Promise<TServiceResult<service.TBackupHealth>> {
  return toResult(async () => service.backupHealth(await depsFor(options), nowFor(options)));
}

/** The open incidents (failed backups, stale backups, damaged copies…), most severe first, for the dashboard. */
export async function listOpenIncidents(options: TCallOptions = {}): Promise<TServiceResult<service.TIncidentView[]>> {
  return toResult(async () => service.listOpenIncidents((await depsFor(options)).db.prisma));
}

/** Sends a test alert through every configured channel and reports each delivery (`erp-backup alert test`). */
export async function sendTestAlert(options: TCallOptions = {}): Promise<TServiceResult<TTestAlertResult>> {
  return toResult(async () => sendTestAlertFromEnv(await depsFor(options), nowFor(options)));
}
