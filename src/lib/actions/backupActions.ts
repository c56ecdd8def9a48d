'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { listAuditLog, type TAuditLogPage, ZAuditLogQuery } from '@/lib/audit/audit-query';
import { type TCreateBackupInput, ZBackupId, ZCreateBackupInput } from '@/lib/backup/api/inputs';
import { ZPruneInput, ZScheduleId, ZScheduleInput, ZScheduleUpdate } from '@/lib/backup/scheduling/schedule-inputs';
import { getDb } from '@/lib/db/client';
import * as backups from '@/lib/utils/backup-service';
import { adminAction, type TActionResult } from './admin-action';

/**
 * The backup module's server actions. This file exports only actions: each
 * is a public endpoint, checked by `adminAction` (session, role, input).
 * Results never carry stacks or driver internals; the service already made
 * its errors readable.
 */

const DASHBOARD = '/admin/backups';

function plain<T>(result: backups.TServiceResult<T>): TActionResult<T> {
  return result.success ? { success: true, data: result.data } : { success: false, error: result.error };
}

/**
 * Starts a backup, full (the default) or a snapshot (`kind: 'INCREMENTAL'`); returns its id at once,
 * then poll `getBackupProgressAction(id)`. The type is always MANUAL: safety and scheduled backups are not made here.
 */
export const createBackupAction = adminAction(
  'backup.create',
  z.object({ kind: ZCreateBackupInput.shape.kind }).strict(),
  (input: Pick<TCreateBackupInput, 'kind'> = {}) => input,
  async ({ kind }, { audit }) => {
    // On PostgreSQL the backup runs in a child process of its own (runtime/job-placement.ts).
    const result = await backups.startBackup({ type: 'MANUAL', ...(kind ? { kind } : {}) }, { actor: audit, ownProcess: true });
    revalidatePath(DASHBOARD);
    return plain(result);
  },
);

/** The backups, newest first; deleted ones (kept as history) only when asked for. */
export const listBackupsAction = adminAction(
  'backup.list',
  z.object({ includeDeleted: z.boolean().optional() }).strict(),
  (input: { includeDeleted?: boolean } = {}) => input,
  async (input, { audit }) => plain(await backups.listBackups({ actor: audit, includeDeleted: input.includeDeleted })),
);

export const getBackupProgressAction = adminAction(
  'backup.progress',
  ZBackupId,
  (id: string) => id,
  async (id, { audit }) => plain(await backups.getBackupProgress(id, { actor: audit })),
);

export const verifyBackupAction = adminAction(
  'backup.verify',
  ZBackupId,
  (id: string) => id,
  async (id, { audit }) => {
    const result = await backups.verifyBackup(id, { actor: audit });
    revalidatePath(DASHBOARD);
    return plain(result);
  },
);

/** Restores a backup into a throwaway database and proves its rows (README, "Restore drills"); the live data is not touched. */
export const drillBackupAction = adminAction(
  'backup.drill',
  ZBackupId,
  (id: string) => id,
  async (id, { audit }) => {
    const result = await backups.drillBackup(id, { actor: audit, ownProcess: true });
    revalidatePath(DASHBOARD);
    return plain(result);
  },
);

/** What restoring a backup would replace and empty, shown in the dialog before the administrator confirms. */
export const planRestoreAction = adminAction(
  'backup.restore.plan',
  ZBackupId,
  (id: string) => id,
  async (id, { audit }) => plain(await backups.planRestore(id, { actor: audit })),
);

/**
 * Restores a backup. `confirmation` must be the backup's file name, typed by
 * the administrator: the server checks it, not only the dialog.
 */
export const restoreBackupAction = adminAction(
  'backup.restore',
  z.object({ id: ZBackupId, confirmation: z.string().max(200) }).strict(),
  (id: string, confirmation: string) => ({ id, confirmation }),
  async ({ id, confirmation }, { audit }): Promise<TActionResult<backups.TRestoreResult> & { recordsRestored?: number }> => {
    const backup = await backups.getBackup(id, { actor: audit });
    if (!backup.success) return plain(backup);
    if (confirmation.trim() !== backup.data.filename) {
      return { success: false, error: `To confirm the restore, type the backup's name exactly: ${backup.data.filename}` };
    }
    const result = await backups.restoreBackup(id, { confirm: true }, { actor: audit, ownProcess: true });
    revalidatePath(DASHBOARD);
    return result.success ? { success: true, data: result.data, recordsRestored: result.data.recordsRestored } : plain(result);
  },
);

export const deleteBackupAction = adminAction(
  'backup.delete',
  ZBackupId,
  (id: string) => id,
  async (id, { audit }) => {
    const result = await backups.deleteBackup(id, { actor: audit });
    revalidatePath(DASHBOARD);
    return plain(result);
  },
);

/** Uploads completed backups whose off-site copy is missing (after a failed upload). */
export const syncUploadsAction = adminAction(
  'backup.sync',
  z.object({}).strict(),
  () => ({}),
  async (_input, { audit }) => {
    const result = await backups.syncUploads({ actor: audit });
    revalidatePath(DASHBOARD);
    return plain(result);
  },
);

/** Checks every backup's copies, repairs what it can from a good copy, and records what stays damaged. */
export const scrubBackupsAction = adminAction(
  'backup.scrub',
  z.object({}).strict(),
  () => ({}),
  async (_input, { audit }) => {
    const result = await backups.scrubBackups({ actor: audit });
    revalidatePath(DASHBOARD);
    return plain(result);
  },
);

/** One page of the backup module's audit rows, newest first, filterable by action, outcome and period. */
export const listBackupAuditLogAction = adminAction(
  'backup.audit.list',
  ZAuditLogQuery,
  (query: z.input<typeof ZAuditLogQuery> = {}) => query,
  async (query): Promise<TActionResult<TAuditLogPage>> => {
    const { prisma } = await getDb();
    return { success: true, data: await listAuditLog(prisma, { ...query, action: query.action ?? 'backup.' }) };
  },
);

/** The open alert incidents (failed or overdue backups, damaged copies…), most severe first, shown at the top of the dashboard. */
export const listOpenIncidentsAction = adminAction(
  'backup.incidents.list',
  z.object({}).strict(),
  () => ({}),
  async (_input, { audit }) => plain(await backups.listOpenIncidents({ actor: audit })),
);

/** The backup schedules, with their timing in words, next run, last result and retention policy. */
export const listSchedulesAction = adminAction(
  'backup.schedule.list',
  z.object({}).strict(),
  () => ({}),
  async (_input, { audit }) => plain(await backups.listSchedules({ actor: audit })),
);

/** Adds a schedule; the cron expression and timezone are checked on the server, with errors that say what is wrong. */
export const addScheduleAction = adminAction(
  'backup.schedule.add',
  ZScheduleInput,
  (input: backups.TScheduleInput) => input,
  async (input, { audit }) => {
    const result = await backups.addSchedule(input, { actor: audit });
    revalidatePath(DASHBOARD);
    return plain(result);
  },
);

/** Changes a schedule (timing, timezone, name, retention, enabled). */
export const updateScheduleAction = adminAction(
  'backup.schedule.update',
  z.object({ id: ZScheduleId, changes: ZScheduleUpdate }).strict(),
  (id: string, changes: backups.TScheduleUpdate) => ({ id, changes }),
  async ({ id, changes }, { audit }) => {
    const result = await backups.updateSchedule(id, changes, { actor: audit });
    revalidatePath(DASHBOARD);
    return plain(result);
  },
);

/** Removes a schedule; the backups it made stay. */
export const removeScheduleAction = adminAction(
  'backup.schedule.remove',
  ZScheduleId,
  (id: string) => id,
  async (id, { audit }) => {
    const result = await backups.removeSchedule(id, { actor: audit });
    revalidatePath(DASHBOARD);
    return plain(result);
  },
);

/** What a retention policy keeps (with reasons) and removes, without changing anything: the retention editor's preview. */
export const previewRetentionAction = adminAction(
  'backup.prune.preview',
  ZPruneInput,
  (input: Omit<backups.TPruneInput, 'dryRun'>) => ({ ...input, dryRun: true }),
  async (input, { audit }) => plain(await backups.pruneBackups({ ...input, dryRun: true }, { actor: audit })),
);

/** Applies a retention policy now: removes what it does not keep (audited as one `backup.pruned` row). */
export const pruneBackupsAction = adminAction(
  'backup.prune',
  ZPruneInput,
  (input: Omit<backups.TPruneInput, 'dryRun'>) => ({ ...input, dryRun: false }),
  async (input, { audit }) => {
    const result = await backups.pruneBackups({ ...input, dryRun: false }, { actor: audit });
    revalidatePath(DASHBOARD);
    return plain(result);
  },
);

/** Pins a backup (every retention policy keeps it) or unpins it. */
export const setBackupPinnedAction = adminAction(
  'backup.pin',
  z.object({ id: ZBackupId, pinned: z.boolean() }).strict(),
  (id: string, pinned: boolean) => ({ id, pinned }),
  async ({ id, pinned }, { audit }) => {
    const result = await backups.setBackupPinned(id, pinned, { actor: audit });
    revalidatePath(DASHBOARD);
    return plain(result);
  },
);
