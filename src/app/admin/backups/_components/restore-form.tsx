'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState } from 'react';
import { restoreBackupAction } from '@/lib/actions/backupActions';
import type { TBackupSummary } from '@/lib/backup/service/summary';
import { AlertMessage } from './alert-message';
import { LocalTime } from './local-time';
import { RestoreDone } from './restore-done';
import { RowCountSummary } from './row-count-summary';
import { useServerAction } from './use-server-action';

/** Where the dialog is: asking, restoring (Escape refused), or done. */
export type TRestorePhase = 'confirming' | 'running' | 'done';

interface TRestoreFormProps {
  backup: TBackupSummary;
  /** Told as the restore starts and ends, so the dialog can lock itself and change its title. */
  onPhaseChange: (phase: TRestorePhase) => void;
  /** Closes the dialog. */
  onDone: () => void;
}

/**
 * The restore dialog's content. Says plainly what is replaced, shows what the
 * backup holds, and enables "Restore" only once the backup's file name is
 * typed (the server checks the same text again).
 */
export function RestoreForm({ backup, onPhaseChange, onDone }: TRestoreFormProps) {
  const router = useRouter();
  const inputId = useId();
  const hintId = useId();
  const [typed, setTyped] = useState('');
  const restore = useServerAction(restoreBackupAction);
  const confirmed = typed.trim() === backup.filename;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!confirmed || restore.pending) return;
    onPhaseChange('running');
    const result = await restore.run(backup.id, typed);
    onPhaseChange(result.success ? 'done' : 'confirming');
    if (result.success) router.refresh();
  };

  if (restore.state.status === 'done') {
    const { recordsRestored, safetyBackupId } = restore.state.data;
    return <RestoreDone recordsRestored={recordsRestored} safetyBackupTaken={safetyBackupId !== null} onClose={onDone} />;
  }

  return (
    <form onSubmit={submit}>
      <div className="restore-columns">
        <div>
          <p className="warning-box">
            <strong>All current data of every model will be replaced</strong> — schools, students, staff, attendance, users and everything
            else — by the data in this backup. Only the backup history and the audit log are kept. A safety backup of the current data is
            taken first, so this restore can itself be undone.
          </p>
          <p>
            This backup was made <LocalTime iso={backup.createdAt} />.
          </p>
          <div className="field">
            <label htmlFor={inputId}>Type the backup name to confirm</label>
            <p id={hintId} className="muted field-hint">
              The name is <code>{backup.filename}</code>
            </p>
            <input
              id={inputId}
              type="text"
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
              aria-describedby={hintId}
              disabled={restore.pending}
              data-autofocus
            />
          </div>
        </div>
        <RowCountSummary rowCounts={backup.rowCounts} />
      </div>
      {restore.state.status === 'error' ? <AlertMessage message={restore.state.error} /> : null}
      <div className="modal-actions">
        <button type="button" className="button button-secondary" onClick={onDone} disabled={restore.pending}>
          Cancel
        </button>
        <button type="submit" className="button button-warning" disabled={!confirmed || restore.pending}>
          {restore.pending ? 'Restoring… (do not close this page)' : 'Restore'}
        </button>
      </div>
    </form>
  );
}
