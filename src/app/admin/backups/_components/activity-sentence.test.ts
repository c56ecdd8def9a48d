import { describe, expect, it } from 'vitest';
import type { TAuditLogEntry } from '@/lib/audit/audit-query';
import { formatBytes } from '@/lib/format/bytes';
import { activitySentence, type TBackupRef } from './activity-sentence';
import { formatDuration } from './format';
import { retentionWords } from './retention-words';

const entry = (action: string, details: unknown, extra: Partial<TAuditLogEntry> = {}): TAuditLogEntry => ({
  id: '1',
  createdAt: '2026-03-01T10:00:00.000Z',
  action,
  outcome: 'SUCCESS',
  actorKind: 'user',
  actorEmail: 'head@demo.school',
  actorName: 'Ana Head',
  count: 1,
  targetId: 'cmwybackup0000000000000001',
  details,
  ipAddress: null,
  ...extra,
});

const KNOWN: TBackupRef = { id: 'cmwybackup0000000000000001', filename: 'backup-2026-03-01T10-00-00.erpbak', listed: true };
const SAFETY: TBackupRef = { id: 'cmwysafety0000000000000001', filename: 'backup-2026-03-02T08-00-00.erpbak', listed: false };
const BACKUPS = new Map([KNOWN, SAFETY].map((ref) => [ref.id, ref]));

describe('formatDuration', () => {
  it.each([
    [879, '0.9 s'],
    [12_340, '12.3 s'],
    [125_000, '2 min 5 s'],
    [3_780_000, '1 h 3 min'],
    [null, '—'],
  ])('%s ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('activitySentence', () => {
  it('says a created backup in rows, bytes and seconds, naming it by file', () => {
    const sentence = activitySentence(
      entry('backup.created', { type: 'MANUAL', sizeBytes: 1_185_289, totalRows: 47_238, durationMs: 879, models: 12, location: 'LOCAL' }),
      BACKUPS,
    );
    expect(sentence.text).toBe(`Backup of 47,238 rows, ${formatBytes(1_185_289)}, took 0.9 s, kept on this server.`);
    expect(sentence.text).toContain('1.1 MiB');
    expect(sentence.backups).toEqual([KNOWN]);
  });

  it.each([
    [
      { type: 'MANUAL', kind: 'INCREMENTAL', sizeBytes: 812, storedBytes: 215_040, chunksNew: 3, chunksReused: 140, totalRows: 47_238 },
      'Snapshot of 47,238 rows, 210.0 KiB newly stored (3 new / 140 reused chunks), took 0.9 s, kept on this server.',
    ],
    [
      { type: 'SCHEDULED', kind: 'INCREMENTAL', sizeBytes: 812, storedBytes: 812, chunksNew: 0, chunksReused: 1, totalRows: 2 },
      'Scheduled snapshot of 2 rows, 812 B newly stored (0 new / 1 reused chunk), took 0.9 s, kept on this server.',
    ],
    [
      { type: 'MANUAL', kind: 'FULL', sizeBytes: 1_185_289, totalRows: 47_238 },
      `Backup of 47,238 rows, ${formatBytes(1_185_289)}, took 0.9 s, kept on this server.`,
    ],
  ])('says a created snapshot by what it newly stored, not by its manifest (%#)', (details, text) => {
    expect(activitySentence(entry('backup.created', { ...details, durationMs: 879, location: 'LOCAL' }), BACKUPS).text).toBe(text);
  });

  it('names the safety backup of a restore by its file, not its id', () => {
    const sentence = activitySentence(
      entry('backup.restored', {
        recordsRestored: 47_238,
        durationMs: 3_200,
        safetyBackupId: SAFETY.id,
        safetyBackupSkipped: false,
        outcome: 'x',
      }),
      BACKUPS,
    );
    expect(sentence.text).toBe('Restored 47,238 records in 3.2 s. A safety backup was taken first.');
    expect(sentence.backups).toEqual([KNOWN, SAFETY]);
    expect(sentence.text).not.toContain(SAFETY.id);
  });

  it('says a restore without a safety backup', () => {
    const sentence = activitySentence(entry('backup.restored', { recordsRestored: 1, durationMs: 10, safetyBackupSkipped: true }), BACKUPS);
    expect(sentence.text).toBe('Restored 1 record in 0.0 s. No safety backup was taken.');
  });

  it('keeps the id of a backup that is no longer known', () => {
    const sentence = activitySentence(
      entry('backup.downloaded', { sizeBytes: 2048, source: 'cloud' }, { targetId: 'cmwyunknown00000000000001' }),
      BACKUPS,
    );
    expect(sentence.text).toBe('Downloaded 2.0 KiB from off-site storage.');
    expect(sentence.backups).toEqual([{ id: 'cmwyunknown00000000000001', filename: 'cmwyunknown00000000000001', listed: false }]);
  });

  it.each([
    [entry('backup.verified', { failed: [] }), 'Verified: every check passed.'],
    [
      entry('backup.verified', { failed: ['size: 10 bytes (expected 12)'] }, { outcome: 'FAILURE' }),
      'Verification failed: size: 10 bytes (expected 12).',
    ],
    [
      entry('backup.drilled', { status: 'OK', rows: 1200, durationMs: 4200, digests: 'checked' }),
      'Restore drill OK: 1,200 rows restored into a throwaway database and proved in 4.2 s.',
    ],
    [
      entry(
        'backup.drilled',
        { status: 'FAILED', firstDifference: { model: 'School', reason: 'School restored 1 rows; the backup recorded 2' } },
        { outcome: 'FAILURE' },
      ),
      'Restore drill FAILED: School restored 1 rows; the backup recorded 2.',
    ],
    [entry('backup.deleted', { fileExisted: true, cloudCopyExisted: null }), 'File deleted.'],
    [
      entry('backup.deleted', { fileExisted: true, cloudCopyLeft: 'erp/b.erpbak' }),
      'File deleted; the off-site copy erp/b.erpbak was left in place.',
    ],
    [entry('backup.created', { error: 'disk full' }, { outcome: 'FAILURE' }), 'Failed: disk full'],
    [
      entry('backup.access.denied', { attempted: 'backup.download', reason: 'FORBIDDEN_ROLE' }, { outcome: 'DENIED', targetId: null }),
      'Refused to download: this role may not use backups.',
    ],
    [
      entry('backup.synced', { uploaded: ['a', 'b'], failed: [{ id: 'c', error: 'x' }] }, { targetId: null }),
      'Off-site sync: 2 backups uploaded, 1 failed.',
    ],
    [entry('backup.restore.started', { models: 12, safetyBackup: false }), 'Restore started for 12 tables, without a safety backup.'],
    [entry('backup.something.new', null), 'something new.'],
  ])('%#: %j reads "%s"', (row, text) => {
    expect(activitySentence(row, BACKUPS).text).toBe(text);
  });
});

describe('schedule, retention and pin sentences', () => {
  const SCHEDULE = { targetId: 'cmwyschedule00000000000001' };
  const retention = { keepDaily: 7, keepWeekly: 4, keepMonthly: 12 };

  it.each([
    [
      entry(
        'backup.schedule.created',
        { name: 'Nightly backup', cron: '0 2 * * *', timezone: 'Europe/London', retention, default: true },
        SCHEDULE,
      ),
      'Schedule "Nightly backup" created for a new install: Every day at 02:00, Europe/London; keeps 7 daily, 4 weekly, 12 monthly.',
    ],
    [
      entry('backup.schedule.updated', { name: 'Nightly', cron: '0 2 * * *', timezone: 'UTC', enabled: false, retention: {} }, SCHEDULE),
      'Schedule "Nightly" changed: Every day at 02:00, UTC; disabled; keeps every backup (no retention policy).',
    ],
    [
      entry(
        'backup.schedule.created',
        { kind: 'DRILL', name: 'Weekly restore drill', cron: '0 4 * * 0', timezone: 'UTC', retention: {}, default: true },
        SCHEDULE,
      ),
      'Schedule "Weekly restore drill" created for a new install: Every Sunday at 04:00, UTC.',
    ],
    [
      entry('backup.schedule.created', { name: 'Old', cron: '0 0 0 2 * *', timezone: 'UTC', retention: { keepLast: 3 } }, SCHEDULE),
      'Schedule "Old" added: Invalid cron expression "0 0 0 2 * *"; keeps the last 3.',
    ],
    [
      entry(
        'backup.schedule.created',
        { kind: 'BACKUP', backupKind: 'INCREMENTAL', name: 'Hourly', cron: '0 * * * *', timezone: 'UTC', retention: { keepLast: 24 } },
        SCHEDULE,
      ),
      'Schedule "Hourly" added: Every hour at minute 0; snapshots; keeps the last 24.',
    ],
    [
      entry(
        'backup.schedule.created',
        { kind: 'BACKUP', backupKind: 'FULL', name: 'Nightly', cron: '0 2 * * *', timezone: 'UTC', retention: {} },
        SCHEDULE,
      ),
      'Schedule "Nightly" added: Every day at 02:00, UTC; full backups; keeps every backup (no retention policy).',
    ],
    [
      entry(
        'backup.schedule.updated',
        { name: 'Hourly', backupKind: 'INCREMENTAL', cron: '0 * * * *', timezone: 'UTC', enabled: true, retention: {} },
        SCHEDULE,
      ),
      'Schedule "Hourly" changed: Every hour at minute 0; snapshots; keeps every backup (no retention policy).',
    ],
    [
      entry('backup.schedule.removed', { name: 'Nightly', cron: '0 2 * * *', timezone: 'UTC' }, SCHEDULE),
      'Schedule "Nightly" removed; the backups it made stay.',
    ],
    [
      entry(
        'backup.schedule.failed',
        { slot: '2026-11-27T02:00:00.000Z', attempts: 3, error: 'disk full' },
        { ...SCHEDULE, outcome: 'FAILURE' },
      ),
      'The scheduled backup for 2026-11-27 02:00 UTC failed after 3 attempts: disk full',
    ],
    [
      entry('backup.pruned', {
        policy: { keepLast: 2, keepWithin: '30d' },
        removed: ['a', 'b', 'c'],
        failed: [],
        kept: [{ id: 'd' }, { id: 'e' }],
      }),
      'Retention removed 3 backups and kept 2. The policy keeps the last 2, everything from the 30 days before the newest.',
    ],
    [
      entry(
        'backup.pruned',
        { policy: retention, removed: [], failed: [{ id: 'x', error: 'S3 is unreachable' }], kept: [{ id: 'd' }] },
        { ...SCHEDULE, outcome: 'FAILURE' },
      ),
      'Retention removed nothing and kept 1. 1 backup could not be removed (S3 is unreachable); the next prune tries again. The policy keeps 7 daily, 4 weekly, 12 monthly.',
    ],
    [entry('backup.pinned', null), 'Pinned: every retention policy keeps this backup.'],
    [entry('backup.unpinned', null), 'Unpinned: retention policies may remove this backup again.'],
    [
      entry(
        'backup.schedule.add.rejected',
        { error: 'Invalid cron expression "0 2 * *": expected 5 fields' },
        { outcome: 'FAILURE', targetId: null },
      ),
      'Rejected: Invalid cron expression "0 2 * *": expected 5 fields',
    ],
    [entry('backup.pin.rejected', null, { outcome: 'FAILURE', targetId: null }), 'Rejected: the input was not valid.'],
  ])('%#: %j reads "%s"', (row, text) => {
    expect(activitySentence(row, BACKUPS).text).toBe(text);
  });

  it('does not take a schedule for a backup', () => {
    const removed = activitySentence(entry('backup.schedule.removed', { name: 'N' }, SCHEDULE), BACKUPS);
    expect(removed.backups).toEqual([]);
    expect(activitySentence(entry('backup.pruned', { removed: [] }, SCHEDULE), BACKUPS).backups).toEqual([]);
    expect(activitySentence(entry('backup.pinned', null), BACKUPS).backups).toEqual([KNOWN]);
  });
});

describe('retentionWords', () => {
  it.each([
    [{ keepDaily: 7, keepWeekly: 4, keepMonthly: 12 }, 'keeps 7 daily, 4 weekly, 12 monthly'],
    [{ keepLast: 1, keepHourly: 24, keepYearly: 2 }, 'keeps the last 1, 24 hourly, 2 yearly'],
    [{ keepWithin: '1y6m' }, 'keeps everything from the 1 year 6 months before the newest'],
    [{ keepWithin: '1d12h', keepDaily: 0 }, 'keeps everything from the 1 day 12 hours before the newest'],
    [{}, 'keeps every backup (no retention policy)'],
  ])('%j %s', (policy, text) => {
    expect(retentionWords(policy)).toBe(text);
  });
});
