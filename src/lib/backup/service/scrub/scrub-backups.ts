import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import { backupLog } from '../../process/log';
import type { TBackupDeps } from '../deps';
import { REPAIRED_HOW, scrubBackup, scrubFailed, type TCopyName, type TCopyOutcome, type TCopyState } from './scrub-backup';
import { COPY_LABEL, DAMAGE_REMAINS, describeCopy, scrubProblemOf, scrubStatusOf, type TScrubStatus } from './scrub-status';
import { DEFAULT_LOCK_WAIT_MS } from './under-lock';

export type { TCopyName, TCopyState } from './scrub-backup';
export type { TScrubStatus } from './scrub-status';

export interface TScrubOptions {
  /** How long to wait for a running backup or restore before a repair gives up (15 minutes unless given). */
  lockWaitMs?: number;
  /** The time recorded as `lastScrubAt` (tests); the system clock when omitted. */
  clock?: () => Date;
}

/** What one scrub run found and did (README, "Scrubbing"). */
export interface TScrubResult {
  /** Nothing left to do: no copy stays bad and none was unchecked. The audit row says FAILURE and the CLI exits 1 otherwise. */
  clean: boolean;
  /** COMPLETED backups checked (one deleted while the scrub read it is left out). */
  checked: number;
  /** Backups whose every copy was good as found. */
  ok: number;
  /** Copies that were bad and were replaced from the good copy. */
  repaired: { id: string; copy: TCopyName; how: string }[];
  /** Copies that are missing or damaged and stay so: recorded, alerted; the run fails. */
  damaged: { id: string; copy: TCopyName; problem: string }[];
  /** Copies that could not be checked here (off-site storage unreachable or not configured, key not configured); the run fails. */
  unchecked: { id: string; copy: TCopyName; problem: string }[];
  /** Every backup checked, with what became of each copy (`absent`: its location says it has none). */
  backups: { id: string; filename: string; status: TScrubStatus; local: TCopyState; offsite: TCopyState }[];
}

/**
 * Checks every COMPLETED backup's copies, oldest first: present, size,
 * SHA-256 and auth tag, streamed. A bad copy with a good counterpart is
 * repaired from it; one that cannot be is recorded and alerted
 * (`scrub.damaged`, once per incident), and a later scrub that finds it
 * good again raises `recovered`. Each backup's finding goes on its row
 * (`lastScrubAt`, `scrubStatus`, `scrubProblem`); the run is audited once
 * (`backup.scrubbed`, FAILURE when damage remains or a copy was unchecked).
 *
 * The run holds no lock while it reads: checking every copy reads (and
 * downloads) every byte and may take hours, and reads do not conflict with
 * a backup. Only a repair, and the proof that a copy is really gone, take
 * the operation lock, one backup at a time, for seconds to one file's copy.
 */
export async function scrubBackups(deps: TBackupDeps, options: TScrubOptions = {}): Promise<TScrubResult> {
  const { prisma } = deps.db;
  const clock = options.clock ?? (() => new Date());
  const rows = await prisma.backup.findMany({
    where: { status: 'COMPLETED' },
    orderBy: { createdAt: 'asc' },
    select: { id: true, filename: true, location: true, objectKey: true, sizeBytes: true, sha256: true, keyId: true, scrubStatus: true },
  });
  const result: TScrubResult = { clean: true, checked: 0, ok: 0, repaired: [], damaged: [], unchecked: [], backups: [] };
  for (const row of rows) {
    const copies = await scrubBackup(row, deps, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS).catch((error: unknown) => {
      (deps.log ?? backupLog)(`The scrub of backup ${row.id} failed: ${String(error)}`);
      return scrubFailed(row, error);
    });
    if (!copies) continue;
    const status = scrubStatusOf(copies);
    result.checked++;
    if (status === 'OK') result.ok++;
    result.backups.push({ id: row.id, filename: row.filename, status, local: copies.local.state, offsite: copies.offsite.state });
    for (const name of ['local', 'offsite'] as const) collect(result, row.id, name, copies[name]);
    // Only a row still COMPLETED: one deleted since it was read keeps its history as it was.
    await prisma.backup.updateMany({
      where: { id: row.id, status: 'COMPLETED' },
      data: { lastScrubAt: clock(), scrubStatus: status, scrubProblem: scrubProblemOf(copies) },
    });
    await raiseAlerts(deps, row, copies);
  }
  result.clean = result.damaged.length === 0 && result.unchecked.length === 0;
  await writeAuditBestEffort(
    prisma,
    deps.audit,
    {
      action: 'backup.scrubbed',
      outcome: result.clean ? 'SUCCESS' : 'FAILURE',
      details: { checked: result.checked, ok: result.ok, repaired: result.repaired, damaged: result.damaged, unchecked: result.unchecked },
    },
    deps.log ?? backupLog,
  );
  return result;
}

function collect(result: TScrubResult, id: string, copy: TCopyName, outcome: TCopyOutcome): void {
  const problem = describeCopy(copy, outcome) ?? '';
  if (outcome.state === 'repaired')
    result.repaired.push({ id, copy, how: `${copy === 'local' ? 'local' : 'off-site'} copy ${REPAIRED_HOW[copy]}` });
  if (outcome.state === 'missing' || outcome.state === 'damaged') result.damaged.push({ id, copy, problem });
  if (outcome.state === 'unchecked') result.unchecked.push({ id, copy, problem });
}

/**
 * A copy that stays bad raises `scrub.damaged` (the alert module sends it
 * once per incident, so every scrub may raise it again); a copy good again
 * after a scrub recorded damage closes its incident with `recovered`.
 */
async function raiseAlerts(
  deps: TBackupDeps,
  row: { id: string; filename: string; scrubStatus: string | null },
  copies: Record<TCopyName, TCopyOutcome>,
): Promise<void> {
  if (!deps.alert) return;
  const wasDamaged = DAMAGE_REMAINS.includes(row.scrubStatus as TScrubStatus);
  for (const name of ['local', 'offsite'] as const) {
    const copy = copies[name];
    const incidentKey = `scrub.damaged:${row.id}:${name}`;
    if (copy.state === 'missing' || copy.state === 'damaged') {
      await deps.alert({
        event: 'scrub.damaged',
        severity: 'critical',
        backupId: row.id,
        incidentKey,
        message: `Backup ${row.filename}: ${describeCopy(name, copy) ?? `${COPY_LABEL[name]} is ${copy.state}.`} This copy cannot be restored from: check the disk or the bucket, and make a new backup if no good copy is left (README, "Scrubbing").`,
      });
    } else if (wasDamaged && (copy.state === 'ok' || copy.state === 'repaired')) {
      await deps.alert({
        event: 'recovered',
        severity: 'info',
        backupId: row.id,
        incidentKey,
        message: `Backup ${row.filename}: ${COPY_LABEL[name].toLowerCase()} is good again.`,
      });
    }
  }
}
