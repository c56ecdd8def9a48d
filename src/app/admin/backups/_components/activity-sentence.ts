import type { TAuditLogEntry } from '@/lib/audit/audit-query';
import { formatBytes } from '@/lib/format/bytes';
import { actionLabel, formatCount, formatDuration } from './format';
import { scheduleSentence } from './schedule-sentence';

/** What the activity panel knows of a backup an audit row names: enough to say which one it is. */
export interface TBackupRef {
  id: string;
  filename: string;
  /** Whether its row is in the list on the page now (deleted backups are only with "Show deleted"). */
  listed: boolean;
}

/** One audit row said as a sentence, and the backups it concerns (the target first). */
export interface TActivitySentence {
  text: string;
  backups: TBackupRef[];
}

type TDetails = Record<string, unknown>;

const TYPES: Record<string, string> = { MANUAL: 'Backup', SCHEDULED: 'Scheduled backup', PRE_RESTORE: 'Safety backup' };
const SNAPSHOT_TYPES: Record<string, string> = { MANUAL: 'Snapshot', SCHEDULED: 'Scheduled snapshot', PRE_RESTORE: 'Safety snapshot' };
const LOCATIONS: Record<string, string> = { LOCAL: 'on this server', CLOUD: 'off-site', BOTH: 'on this server and off-site' };
const REASONS: Record<string, string> = {
  UNAUTHENTICATED: 'not signed in',
  FORBIDDEN_ROLE: 'this role may not use backups',
  MULTI_SCHOOL: 'only a super administrator may back up a multi-school database',
};

function num(details: TDetails, key: string): number | null {
  const value = details[key];
  return typeof value === 'number' ? value : null;
}

function str(details: TDetails, key: string): string | null {
  const value = details[key];
  return typeof value === 'string' ? value : null;
}

function plural(count: number, word: string): string {
  return `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`;
}

function sizeWords(bytes: number | null): string | null {
  return bytes === null ? null : formatBytes(bytes);
}

/** A snapshot's manifest size says little: what it newly stored, and its chunks new and reused, say what it cost. */
function snapshotSizes(details: TDetails): (string | null)[] {
  const stored = num(details, 'storedBytes');
  const fresh = num(details, 'chunksNew');
  const reused = num(details, 'chunksReused');
  const chunks =
    fresh === null || reused === null
      ? null
      : `${formatCount(fresh)} new / ${formatCount(reused)} reused chunk${fresh + reused === 1 ? '' : 's'}`;
  if (stored === null) return [chunks];
  return [`${formatBytes(stored)} newly stored${chunks ? ` (${chunks})` : ''}`];
}

/** The sentence of an audit row, from its action, outcome and details; null when nothing more than the action is known. */
function describe(entry: TAuditLogEntry, details: TDetails): string | null {
  const error = str(details, 'error');
  // The wrapper's refusal of malformed input: nothing was attempted.
  if (entry.action.endsWith('.rejected')) return error ? `Rejected: ${error}` : 'Rejected: the input was not valid.';
  const schedule = scheduleSentence(entry.action, details);
  if (schedule !== undefined) return schedule;
  // The action column already says what failed; the sentence says why.
  if (entry.outcome === 'FAILURE' && error) return `Failed: ${error}`;
  switch (entry.action) {
    case 'backup.created': {
      const rows = num(details, 'totalRows');
      const duration = num(details, 'durationMs');
      const snapshot = str(details, 'kind') === 'INCREMENTAL';
      const noun = (snapshot ? SNAPSHOT_TYPES : TYPES)[str(details, 'type') ?? ''] ?? (snapshot ? 'Snapshot' : 'Backup');
      const parts = [
        `${noun}${rows === null ? '' : ` of ${plural(rows, 'row')}`}`,
        ...(snapshot ? snapshotSizes(details) : [sizeWords(num(details, 'sizeBytes'))]),
        duration === null ? null : `took ${formatDuration(duration)}`,
      ].filter(Boolean);
      const location = LOCATIONS[str(details, 'location') ?? ''];
      const upload = str(details, 'uploadError');
      return `${parts.join(', ')}${location ? `, kept ${location}` : ''}.${upload ? ` The off-site upload failed: ${upload}` : ''}`;
    }
    case 'backup.restore.started': {
      const models = num(details, 'models');
      return `Restore started${models === null ? '' : ` for ${plural(models, 'table')}`}${details.safetyBackup === false ? ', without a safety backup' : ', taking a safety backup first'}.`;
    }
    case 'backup.restored': {
      const records = num(details, 'recordsRestored');
      const duration = num(details, 'durationMs');
      const safety =
        details.safetyBackupSkipped === true || !str(details, 'safetyBackupId')
          ? 'No safety backup was taken.'
          : 'A safety backup was taken first.';
      return `Restored ${records === null ? 'the backup' : plural(records, 'record')}${duration === null ? '' : ` in ${formatDuration(duration)}`}. ${safety}`;
    }
    case 'backup.downloaded': {
      const size = num(details, 'sizeBytes');
      return `Downloaded${size === null ? '' : ` ${formatBytes(size)}`} from ${str(details, 'source') === 'cloud' ? 'off-site storage' : 'this server'}.`;
    }
    case 'backup.verified': {
      const failed = Array.isArray(details.failed) ? details.failed.map(String) : [];
      return failed.length ? `Verification failed: ${failed.join('; ')}.` : 'Verified: every check passed.';
    }
    case 'backup.drilled': {
      const error = str(details, 'error');
      if (error) return `Restore drill could not run: ${error}`;
      const rows = num(details, 'rows');
      const duration = num(details, 'durationMs');
      const difference = details.firstDifference as { reason?: unknown } | undefined;
      const proof = str(details, 'digests') === 'not recorded' ? ' (row counts only: no digests recorded)' : '';
      return str(details, 'status') === 'OK'
        ? `Restore drill OK: ${rows === null ? 'every row' : plural(rows, 'row')} restored into a throwaway database and proved${proof}${duration === null ? '' : ` in ${formatDuration(duration)}`}.`
        : `Restore drill FAILED: ${typeof difference?.reason === 'string' ? difference.reason : 'the backup did not restore to the data it recorded'}.`;
    }
    case 'backup.delete.started':
      return 'Deletion started.';
    case 'backup.deleted': {
      const left = str(details, 'cloudCopyLeft');
      const file = details.fileExisted === false ? 'Marked deleted (its file was already gone)' : 'File deleted';
      return left ? `${file}; the off-site copy ${left} was left in place.` : `${file}.`;
    }
    case 'backup.synced': {
      const uploaded = Array.isArray(details.uploaded) ? details.uploaded.length : num(details, 'uploaded');
      const failed = Array.isArray(details.failed) ? details.failed.length : num(details, 'failed');
      return `Off-site sync: ${plural(uploaded ?? 0, 'backup')} uploaded${failed ? `, ${formatCount(failed)} failed` : ''}.`;
    }
    case 'backup.access.denied': {
      const attempted = str(details, 'attempted');
      const reason = str(details, 'reason');
      return `Refused${attempted ? ` to ${actionLabel(attempted)}` : ''}${reason ? `: ${REASONS[reason] ?? reason}` : ''}.`;
    }
    default:
      return null;
  }
}

/**
 * An audit row as a sentence with human units and the backups it concerns,
 * named by file instead of by id. The raw details stay available to the
 * caller for a "raw values" view; ids of backups no longer known are kept
 * as they are.
 */
export function activitySentence(entry: TAuditLogEntry, backups: ReadonlyMap<string, TBackupRef>): TActivitySentence {
  const details: TDetails =
    entry.details && typeof entry.details === 'object' && !Array.isArray(entry.details) ? (entry.details as TDetails) : {};
  // Schedule rows (and a prune, whose target is its schedule) name no backup as their target.
  const target = entry.action.startsWith('backup.schedule.') || entry.action === 'backup.pruned' ? null : entry.targetId;
  const ids = [target, str(details, 'safetyBackupId')].filter((id): id is string => Boolean(id));
  const refs = ids.map((id) => backups.get(id) ?? { id, filename: id, listed: false });
  return { text: describe(entry, details) ?? `${actionLabel(entry.action)}.`, backups: refs };
}
