import { describeSchedule } from '@/lib/backup/schedule/describe';
import { formatCount } from './format';
import { policyOf, retentionWords } from './retention-words';

type TDetails = Record<string, unknown>;

function str(details: TDetails, key: string): string | null {
  const value = details[key];
  return typeof value === 'string' ? value : null;
}

function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

/** "Every day at 02:00, Europe/London" (describeSchedule says so when an old row holds an expression now refused). */
function timing(details: TDetails): string | null {
  const cron = str(details, 'cron');
  const timezone = str(details, 'timezone');
  return cron && timezone ? describeSchedule({ cron, timezone }) : null;
}

/** What a backup schedule takes. An update's details carry no kind, and a drill's say FULL: only snapshots are sure to be said there. */
function backupKind(details: TDetails): string | null {
  const kind = str(details, 'backupKind');
  if (kind === 'INCREMENTAL') return 'snapshots';
  return kind === 'FULL' && str(details, 'kind') === 'BACKUP' ? 'full backups' : null;
}

function retention(details: TDetails): string | null {
  // Drill and scrub schedules make no backups: a policy is not theirs to have.
  const kind = str(details, 'kind');
  if (kind && kind !== 'BACKUP') return null;
  const policy = policyOf(details.retention);
  return policy ? retentionWords(policy) : null;
}

/** "2026-11-27 02:00 UTC": a slot in an audit sentence, which is rendered on the server (no reader's timezone there). */
function slotWords(iso: string | null): string {
  if (!iso || Number.isNaN(Date.parse(iso))) return 'a slot';
  return `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function lengthOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/**
 * The sentence of a schedule, retention or pin audit row; undefined for any
 * other action (the caller's own cases then apply).
 */
export function scheduleSentence(action: string, details: TDetails): string | undefined {
  const name = str(details, 'name');
  const named = name ? `Schedule "${name}"` : 'Schedule';
  switch (action) {
    case 'backup.schedule.created':
    case 'backup.schedule.updated': {
      const parts = [timing(details), backupKind(details), details.enabled === false ? 'disabled' : null, retention(details)].filter(
        Boolean,
      );
      const verb = action === 'backup.schedule.created' ? (details.default === true ? 'created for a new install' : 'added') : 'changed';
      return `${named} ${verb}${parts.length ? `: ${parts.join('; ')}` : ''}.`;
    }
    case 'backup.schedule.removed':
      return `${named} removed; the backups it made stay.`;
    case 'backup.schedule.failed': {
      const attempts = typeof details.attempts === 'number' ? details.attempts : null;
      const error = str(details, 'error');
      return `The scheduled backup for ${slotWords(str(details, 'slot'))} failed${attempts === null ? '' : ` after ${plural(attempts, 'attempt')}`}${error ? `: ${error}` : '.'}`;
    }
    case 'backup.pruned': {
      const removed = lengthOf(details.removed);
      const kept = lengthOf(details.kept);
      const failed = Array.isArray(details.failed) ? details.failed : [];
      const first = failed[0] && typeof failed[0] === 'object' ? str(failed[0] as TDetails, 'error') : null;
      const policy = policyOf(details.policy);
      return [
        `Retention removed ${removed ? plural(removed, 'backup') : 'nothing'} and kept ${formatCount(kept)}.`,
        failed.length
          ? `${plural(failed.length, 'backup')} could not be removed${first ? ` (${first})` : ''}; the next prune tries again.`
          : null,
        policy ? `The policy ${retentionWords(policy)}.` : null,
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'backup.pinned':
      return 'Pinned: every retention policy keeps this backup.';
    case 'backup.unpinned':
      return 'Unpinned: retention policies may remove this backup again.';
    default:
      return undefined;
  }
}
