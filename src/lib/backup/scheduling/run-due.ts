import { publicMessage } from '../errors/errors';
import { interruptionReason } from '../process/interrupt';
import type { TBackupDeps } from '../service/deps';
import { checkBackupAge } from './backup-health';
import { executeRun, type TRunContext, type TRunOutcome } from './execute-run';
import { takeNextRun } from './run-queue';
import { ensureDefaultSchedule } from './schedule-store';
import { claimDueSlots, type TClaimedSlot } from './slot-claims';

/** What one pass of a runner did (`erp-backup run-due --json`). */
export interface TRunDueResult {
  /** Slots this runner claimed (each claimed by exactly one runner), with how many missed slots each stands for. */
  claimed: { scheduleId: string; slot: string; missedSlots: number }[];
  /** Runs this runner worked on: new slots, retries that came due, runs taken over from a runner that died. */
  runs: TRunOutcome[];
}

/**
 * One pass of a schedule runner: makes sure a fresh install has its default
 * schedule, claims every due slot (catch-up included), then runs every run
 * that is due, one after another, until none is left or the process is
 * asked to stop; then checks that the newest backup is not too old (the dead
 * man's switch, `backup.stale`). Safe to run from any number of processes at once.
 */
export async function runDue(deps: TBackupDeps, context: TRunContext): Promise<TRunDueResult> {
  await ensureDefaultSchedule(deps, context.clock());
  const claimed = await claimDueSlots(deps, context.clock());
  const runs: TRunOutcome[] = [];
  while (interruptionReason() === null) {
    const run = await takeNextRun(deps, context.runnerId, context.clock());
    if (!run) break;
    runs.push(await executeRun(run, deps, context));
  }
  // The dead man's switch: after the runs, so a backup made in this pass counts. The runs are done and
  // recorded whatever it finds, so a check that cannot run is logged and tried again at the next pass.
  try {
    await checkBackupAge(deps, context.clock());
  } catch (error) {
    deps.log?.(`[scheduler] Could not check the age of the newest backup: ${publicMessage(error)}`);
  }
  return { claimed: claimed.map(toClaimView), runs };
}

const toClaimView = (claim: TClaimedSlot) => ({
  scheduleId: claim.scheduleId,
  slot: claim.slot.toISOString(),
  missedSlots: claim.missedSlots,
});
