import { publicMessage } from '../../errors/errors';
import type { TBackupDeps } from '../deps';
import { checkLocalCopy, checkOffsiteCopy, type TCopyCheck, type TScrubbedRow } from './copy-check';
import { restoreLocalCopy, reuploadOffsiteCopy } from './repair-copy';
import { type TLockedOutcome, underLock } from './under-lock';

/** Which copy of a backup. */
export type TCopyName = 'local' | 'offsite';

/**
 * A copy after the scrub: `absent` when the backup's location says it has
 * none (a LOCAL backup's off-site copy), `repaired` when it was bad and was
 * replaced from the good one.
 */
export type TCopyState = 'ok' | 'missing' | 'damaged' | 'repaired' | 'absent' | 'unchecked';

export interface TCopyOutcome {
  state: TCopyState;
  /** What was wrong (also for a repaired copy), in words. */
  problem?: string;
  /** For a repaired copy: what it was found to be. */
  found?: 'missing' | 'damaged';
  /** For a repaired copy: how ("repaired from the off-site copy"); for a bad one: why it stays bad. */
  note?: string;
}

/** One backup's copies after the scrub; null when the backup was deleted while it was read. */
export type TBackupScrub = Record<TCopyName, TCopyOutcome> | null;

/** How a bad copy is repaired, after "The local copy was damaged and was …". */
export const REPAIRED_HOW: Record<TCopyName, string> = {
  local: 'repaired from the off-site copy',
  offsite: 're-uploaded from the local copy',
};

const ABSENT: TCopyOutcome = { state: 'absent' };
const isBad = (copy: TCopyOutcome) => copy.state === 'missing' || copy.state === 'damaged';
const asOutcome = (check: TCopyCheck): TCopyOutcome => (check.state === 'ok' ? { state: 'ok' } : { ...check });

/**
 * Checks every copy the backup's `location` says exists (LOCAL: the file;
 * CLOUD: the object; BOTH: both) and repairs a bad one from a good one: the
 * local file from the verified download of the off-site copy, the
 * off-site object by uploading the local file again. Reads take no lock;
 * each repair, and the proof that a copy is really gone, runs under the
 * operation lock (see `underLock`).
 */
export async function scrubBackup(row: TScrubbedRow, deps: TBackupDeps, lockWaitMs: number): Promise<TBackupScrub> {
  let gone = false;
  const repaired = (copy: TCopyOutcome, name: TCopyName, outcome: TLockedOutcome): TCopyOutcome => {
    if (outcome.kind === 'gone') gone = true;
    if (outcome.kind === 'done' && isBad(copy)) {
      return {
        state: 'repaired',
        found: copy.state === 'missing' ? 'missing' : 'damaged',
        problem: copy.problem,
        note: REPAIRED_HOW[name],
      };
    }
    if (outcome.kind === 'failed') return { ...copy, note: `repairing it failed: ${outcome.problem}` };
    return copy;
  };
  let local = row.location === 'CLOUD' ? ABSENT : asOutcome(await checkLocalCopy(row, deps));
  let offsite = ABSENT;
  if (row.location !== 'LOCAL') {
    offsite = asOutcome(
      await checkOffsiteCopy(row, deps, async (verifiedPath) => {
        if (!isBad(local)) return;
        const outcome = await underLock(deps, row.id, lockWaitMs, (lock) => restoreLocalCopy(row, deps, verifiedPath, lock));
        local = repaired(local, 'local', outcome);
      }),
    );
  }
  if (isBad(offsite) && local.state === 'ok') {
    const outcome = await underLock(deps, row.id, lockWaitMs, (lock) => reuploadOffsiteCopy(row, deps, lock));
    offsite = repaired(offsite, 'offsite', outcome);
  }
  const stillBad = [local, offsite].filter((copy) => isBad(copy) && !copy.note);
  if (!gone && stillBad.length > 0) {
    // No good copy to repair from: prove, under the lock, that a delete is not what made it look gone.
    const outcome = await underLock(deps, row.id, lockWaitMs, async () => {});
    if (outcome.kind === 'gone') gone = true;
    for (const copy of stillBad) {
      copy.note =
        outcome.kind === 'failed'
          ? `there is no good copy to repair it from (not confirmed under the operation lock: ${outcome.problem})`
          : 'there is no good copy to repair it from';
    }
  }
  return gone ? null : { local, offsite };
}

/** A backup whose scrub failed unexpectedly: its copies are unchecked, and the run goes on with the next backup. */
export function scrubFailed(row: TScrubbedRow, error: unknown): Record<TCopyName, TCopyOutcome> {
  const problem = `the scrub failed: ${publicMessage(error)}`;
  return {
    local: row.location === 'CLOUD' ? ABSENT : { state: 'unchecked', problem },
    offsite: row.location === 'LOCAL' ? ABSENT : { state: 'unchecked', problem },
  };
}
