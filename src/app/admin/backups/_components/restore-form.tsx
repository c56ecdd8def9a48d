'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { planRestoreAction, restoreBackupAction } from '@/lib/actions/backupActions';
import type { TBackupSummary } from '@/lib/backup/service/summary';
import { AlertMessage } from './alert-message';
import { LocalTime } from './local-time';
import { RestoreDone } from './restore-done';
import { RestorePlanSummary } from './restore-plan-summary';
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
 * The restore dialog's content. Says plainly what is replaced and what is
 * emptied (asked of the server when the dialog opens), shows the rows that
 * will be restored, and enables "Restore" only once that is shown and the
 * backup's file name is typed (the server checks the same text again).
 */
export function RestoreForm({ backup, onPhaseChange, onDone }: TRestoreFormProps) {
  const router = useRouter();
  const inputId = useId();
  const hintId = useId();
  const [typed, setTyped] = useState('');
  const restore = useServerAction(restoreBackupAction);
  const plan = useServerAction(planRestoreAction);
  const { run: loadPlan } = plan;
  useEffect(() => {
    void loadPlan(backup.id);
  }, [loadPlan, backup.id]);
  const planned = plan.state.status === 'done' ? plan.state.data : null;
  // Nothing is restored before the dialog has said what will be replaced and emptied.
  const confirmed = typed.trim() === backup.filename && planned !== null;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!confirmed || restore.pending) return;
    onPhaseChange('running');
    const result = await restore.run(backup.id, typed);
    onPhaseChange(result.success ? 'done' : 'confirming');
    if (result.success) router.refresh();
  };

  if (restore.state.status === 'done') {
    const { recordsRestored, safetyBackupId, modelsNotInBackup } = restore.state.data;
    return (
      <RestoreDone
        recordsRestored={recordsRestored}
        emptied={modelsNotInBackup}
        safetyBackupTaken={safetyBackupId !== null}
        onClose={onDone}
      />
    );
  }

  return (
    <form onSubmit={submit}>
      <div className="restore-columns">
        <div>
          {planned ? <RestorePlanSummary plan={planned} /> : null}
          {plan.state.status === 'pending' || plan.state.status === 'idle' ? (
            <p className="muted">Working out what this restore replaces…</p>
          ) : null}
          {plan.state.status === 'error' ? (
            <AlertMessage message={`Could not work out what this restore replaces: ${plan.state.error}`} />
          ) : null}
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
        {planned ? (
          <RowCountSummary
            caption="Rows to restore"
            rowCounts={
              planned.rowsToRestore === null ? null : Object.fromEntries(planned.replaced.map((entry) => [entry.model, entry.rows ?? 0]))
            }
          />
        ) : null}
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
