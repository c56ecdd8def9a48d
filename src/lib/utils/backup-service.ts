import 'server-only';
import { SYSTEM_ACTOR, type TAuditContext } from '@/lib/audit/audit-log';
import { parseInput, ZBackupId, ZCreateBackupInput, ZRestoreOptions } from '@/lib/backup/inputs';
import { getProgress, percentOf, type TProgress } from '@/lib/backup/progress';
import { type TServiceResult, toResult } from '@/lib/backup/result';
import { defaultBackupDeps } from '@/lib/backup/runtime';
import * as service from '@/lib/backup/service';

/**
 * The backup module's public API, used by the server actions, the CLI and
 * the scheduler. A thin facade: each function resolves its dependencies (or
 * takes them, in tests) and turns errors into `{ success: false, error }`.
 * The work lives in `src/lib/backup/`.
 */
export type { TServiceResult } from '@/lib/backup/result';
export type { TBackupSummary, TRestoreResult, TVerifyResult } from '@/lib/backup/service';

export interface TCallOptions {
  /** Who is acting, for the audit trail; the system when omitted. */
  actor?: TAuditContext;
  /** Injected dependencies (tests); from the environment when omitted. */
  deps?: service.TBackupDeps;
}

const depsFor = async (options: TCallOptions) => options.deps ?? defaultBackupDeps(options.actor ?? SYSTEM_ACTOR);

export async function createBackup(
  input: service.TCreateBackupInput = {},
  options: TCallOptions = {},
): Promise<TServiceResult<service.TBackupSummary>> {
  return toResult(async () => service.createBackup(parseInput(ZCreateBackupInput, input), await depsFor(options)));
}

export async function listBackups(
  options: TCallOptions & { includeDeleted?: boolean } = {},
): Promise<TServiceResult<service.TBackupSummary[]>> {
  return toResult(async () => service.listBackups(await depsFor(options), { includeDeleted: options.includeDeleted }));
}

export async function verifyBackup(id: string, options: TCallOptions = {}): Promise<TServiceResult<service.TVerifyResult>> {
  return toResult(async () => service.verifyBackup(parseInput(ZBackupId, id), await depsFor(options)));
}

/** Restores a backup; the result also carries `recordsRestored` at the top, as the ERP's pages expect. */
export async function restoreBackup(
  id: string,
  restoreOptions: service.TRestoreOptions,
  options: TCallOptions = {},
): Promise<TServiceResult<service.TRestoreResult> & { recordsRestored?: number }> {
  const result = await toResult(async () =>
    service.restoreBackup(parseInput(ZBackupId, id), parseInput(ZRestoreOptions, restoreOptions), await depsFor(options)),
  );
  return result.success ? { ...result, recordsRestored: result.data.recordsRestored } : result;
}

/** Disaster recovery from a file path given by an operator (never by a web request). */
export async function restoreFromFile(
  filePath: string,
  restoreOptions: service.TRestoreOptions,
  options: TCallOptions = {},
): Promise<TServiceResult<service.TRestoreResult> & { recordsRestored?: number }> {
  const result = await toResult(async () =>
    service.restoreFromFile(filePath, parseInput(ZRestoreOptions, restoreOptions), await depsFor(options)),
  );
  return result.success ? { ...result, recordsRestored: result.data.recordsRestored } : result;
}

export async function deleteBackup(id: string, options: TCallOptions = {}): Promise<TServiceResult<{ id: string; fileExisted: boolean }>> {
  return toResult(async () => service.deleteBackup(parseInput(ZBackupId, id), await depsFor(options)));
}

/** Live progress of a running backup or restore in this process, or null. */
export function getBackupProgress(id: string): (TProgress & { percent: number }) | null {
  const progress = getProgress(id);
  return progress ? { ...progress, percent: percentOf(progress) } : null;
}
