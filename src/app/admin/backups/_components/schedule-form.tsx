'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState } from 'react';
import { addScheduleAction, updateScheduleAction } from '@/lib/actions/backupActions';
import type { TScheduleView } from '@/lib/backup/scheduling/schedule-store';
import { AlertMessage } from './alert-message';
import { RetentionFields } from './retention-fields';
import { RetentionPreview } from './retention-preview';
import { BACKUP_KIND_CHOICES, draftCron, draftOf, draftPolicy, KIND_LABELS, type TScheduleDraft, withMode } from './schedule-draft';
import { TimingFields } from './timing-fields';
import { callAction } from './use-server-action';

const BACKUP_KIND_HINTS: Record<TScheduleDraft['backupKind'], string> = {
  FULL: 'Each run writes one encrypted file holding every record: it stands on its own, and takes the most space.',
  INCREMENTAL:
    'Each run stores only the parts of the data no earlier snapshot stored: small and quick, suited to frequent runs. It restores like a full backup.',
};

const KIND_HINTS: Record<TScheduleDraft['kind'], string> = {
  BACKUP: 'Takes a backup, then removes the backups its retention policy does not keep.',
  DRILL: 'Restores the newest backup into a throwaway database and checks every table matches what the backup recorded.',
  SCRUB: "Checks every backup's copies (present, size, checksum, authentication) and repairs one from a good copy.",
};

interface TScheduleFormProps {
  /** The schedule to edit; a new one when absent. */
  schedule?: TScheduleView;
  serverTimezone: string;
  /** Called after saving, or on Cancel. */
  onDone: () => void;
}

/**
 * Adds or edits a schedule: its name, what it does (a backup schedule: full
 * backups or snapshots), its timing (preset or cron, with a live
 * preview), its timezone and its retention policy, with a preview of what
 * that policy keeps and removes now, before anything is saved. The server
 * checks everything again and its refusal is shown as it says it.
 */
export function ScheduleForm({ schedule, serverTimezone, onDone }: TScheduleFormProps) {
  const router = useRouter();
  const id = useId();
  const [draft, setDraft] = useState<TScheduleDraft>(() => draftOf(schedule, serverTimezone));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const change = (part: Partial<TScheduleDraft>) => setDraft((current) => ({ ...current, ...part }));

  const timing = draftCron(draft);
  const retention = draftPolicy(draft);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (saving) return;
    const keepsBackups = draft.kind === 'BACKUP';
    const problem = timing.error ?? (keepsBackups ? retention.error : null);
    if (timing.cron === undefined || (keepsBackups && retention.policy === undefined)) {
      setError(problem ?? 'Check the form');
      return;
    }
    const name = draft.name.trim();
    const base = { cron: timing.cron, timezone: draft.timezone };
    // Drills and scrubs make no backups, so they have neither a backup kind nor a retention policy.
    const fields = keepsBackups && retention.policy ? { ...base, backupKind: draft.backupKind, retention: retention.policy } : base;
    setSaving(true);
    setError(null);
    const result = schedule
      ? await callAction(updateScheduleAction, schedule.id, { ...fields, ...(name ? { name } : {}) })
      : await callAction(addScheduleAction, { ...fields, kind: draft.kind, ...(name ? { name } : {}) });
    setSaving(false);
    if (!result.success) {
      setError(result.error);
      return;
    }
    onDone();
    router.refresh();
  };

  return (
    <form onSubmit={submit} className="schedule-form">
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input
          id={`${id}-name`}
          type="text"
          maxLength={100}
          value={draft.name}
          onChange={(event) => change({ name: event.target.value })}
          aria-describedby={`${id}-name-hint`}
          disabled={saving}
          data-autofocus
        />
        <p id={`${id}-name-hint`} className="muted field-hint">
          {schedule
            ? 'Shown in the list and the activity; left empty, the name stays as it is.'
            : 'Optional: without one, the schedule is named after its timing.'}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-kind`}>What it does</label>
        <select
          id={`${id}-kind`}
          value={draft.kind}
          onChange={(event) => change({ kind: event.target.value as TScheduleDraft['kind'] })}
          disabled={saving || Boolean(schedule)}
          aria-describedby={`${id}-kind-hint`}
        >
          {Object.entries(KIND_LABELS).map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </select>
        <p id={`${id}-kind-hint`} className="muted field-hint">
          {KIND_HINTS[draft.kind]}
        </p>
      </div>
      {draft.kind === 'BACKUP' ? (
        <div className="field">
          <label htmlFor={`${id}-backup-kind`}>Each run takes</label>
          <select
            id={`${id}-backup-kind`}
            value={draft.backupKind}
            onChange={(event) => change({ backupKind: event.target.value as TScheduleDraft['backupKind'] })}
            disabled={saving}
            aria-describedby={`${id}-backup-kind-hint`}
          >
            {Object.entries(BACKUP_KIND_CHOICES).map(([kind, label]) => (
              <option key={kind} value={kind}>
                {label}
              </option>
            ))}
          </select>
          <p id={`${id}-backup-kind-hint`} className="muted field-hint">
            {BACKUP_KIND_HINTS[draft.backupKind]}
          </p>
        </div>
      ) : null}
      <TimingFields
        draft={draft}
        onChange={change}
        onModeChange={(mode) => setDraft((current) => withMode(current, mode))}
        disabled={saving}
      />
      {draft.kind === 'BACKUP' ? (
        <fieldset className="form-group" disabled={saving}>
          <legend>Retention</legend>
          <p className="muted field-hint">
            After each backup of this schedule, its backups that no rule keeps are removed. Leave every field empty to keep them all.
          </p>
          <RetentionFields
            values={draft.retention}
            onChange={(key, value) => change({ retention: { ...draft.retention, [key]: value } })}
            policy={retention.policy ?? null}
          />
          {schedule ? (
            <RetentionPreview
              scope={retention.policy ? { scheduleId: schedule.id, policy: retention.policy, timezone: draft.timezone } : null}
              problem={retention.error}
            />
          ) : (
            <>
              {retention.error ? <p className="field-error">{retention.error}</p> : null}
              <p className="muted field-hint">A new schedule has no backups yet, so this policy removes nothing now.</p>
            </>
          )}
        </fieldset>
      ) : null}
      <AlertMessage message={error} />
      <div className="modal-actions">
        <button type="button" className="button button-secondary" onClick={onDone} disabled={saving}>
          Cancel
        </button>
        <button type="submit" className="button" disabled={saving}>
          {saving ? 'Saving…' : schedule ? 'Save changes' : 'Add schedule'}
        </button>
      </div>
    </form>
  );
}
