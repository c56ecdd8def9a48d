import { sentences } from '../../errors/errors';
import type { TCopyName, TCopyOutcome } from './scrub-backup';

/**
 * What a scrub records on the `Backup` row (`scrubStatus`), worst first:
 * a copy damaged and not repaired; a copy missing and not repaired; a copy
 * that could not be checked; a copy repaired; every copy good.
 */
export type TScrubStatus = 'DAMAGED' | 'MISSING' | 'UNCHECKED' | 'REPAIRED' | 'OK';

/** The row's scrub status of a backup whose copies ended as `copies`. */
export function scrubStatusOf(copies: Record<TCopyName, TCopyOutcome>): TScrubStatus {
  const states = [copies.local.state, copies.offsite.state];
  if (states.includes('damaged')) return 'DAMAGED';
  if (states.includes('missing')) return 'MISSING';
  if (states.includes('unchecked')) return 'UNCHECKED';
  if (states.includes('repaired')) return 'REPAIRED';
  return 'OK';
}

/** Statuses that mean a copy is bad and stays bad: alerted, and the run fails. */
export const DAMAGE_REMAINS: readonly TScrubStatus[] = ['DAMAGED', 'MISSING'];

export const COPY_LABEL: Record<TCopyName, string> = { local: 'The local copy', offsite: 'The off-site copy' };

/** One copy's finding in words (null for a good or absent copy): "The local copy is damaged: its SHA-256 … ; there is no good copy …". */
export function describeCopy(name: TCopyName, copy: TCopyOutcome): string | null {
  if (copy.state === 'ok' || copy.state === 'absent') return null;
  const label = COPY_LABEL[name];
  if (copy.state === 'repaired')
    return sentences(`${label} was ${copy.found ?? 'damaged'} (${copy.problem ?? 'unknown'}) and was ${copy.note ?? 'repaired'}`);
  const verb = copy.state === 'unchecked' ? 'could not be checked' : `is ${copy.state}`;
  return sentences(`${label} ${verb}: ${copy.problem ?? 'unknown'}${copy.note ? `; ${copy.note}` : ''}`);
}

/** The row's `scrubProblem`: every copy's finding, or null when all are good. */
export function scrubProblemOf(copies: Record<TCopyName, TCopyOutcome>): string | null {
  const parts = (['local', 'offsite'] as const).flatMap((name) => describeCopy(name, copies[name]) ?? []);
  return parts.length > 0 ? parts.join(' ') : null;
}
