import { describe, expect, it } from 'vitest';
import type { TAuditLogEntry } from '@/lib/audit/audit-query';
import { formatBytes } from '@/lib/format/bytes';
import { activitySentence, type TBackupRef } from './activity-sentence';
import { formatDuration } from './format';

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
