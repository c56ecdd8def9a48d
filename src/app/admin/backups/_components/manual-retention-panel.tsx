'use client';

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { pruneBackupsAction } from '@/lib/actions/backupActions';
import { isEmptyPolicy } from '@/lib/backup/schedule/retention';
import { AlertMessage } from './alert-message';
import { ConfirmActions } from './confirm-actions';
import { ModalDialog } from './modal-dialog';
import { RetentionFields } from './retention-fields';
import { RetentionPreview } from './retention-preview';
import { retentionWords } from './retention-words';
import { draftPolicy, RETENTION_KEYS, type TRetentionKey } from './schedule-draft';
import { TimezoneSelect } from './timezone-select';
import { useServerAction } from './use-server-action';

const EMPTY = Object.fromEntries(RETENTION_KEYS.map((key) => [key, ''])) as Record<TRetentionKey, string>;

/**
 * Retention for the backups no schedule made (manual and safety backups):
 * they are kept until someone applies a policy here (or `erp-backup prune
 * --keep-…`). Preview first; "Remove now" asks again before deleting.
 */
export function ManualRetentionPanel({ serverTimezone }: { serverTimezone: string }) {
  const router = useRouter();
  const id = useId();
  const [values, setValues] = useState(EMPTY);
  const [timezone, setTimezone] = useState(serverTimezone);
  const [confirming, setConfirming] = useState(false);
  const prune = useServerAction(pruneBackupsAction);
  const { policy, error } = draftPolicy({ retention: values });
  const usable = policy && !isEmptyPolicy(policy) ? policy : null;

  const apply = async () => {
    if (!usable) return;
    const result = await prune.run({ policy: usable, timezone });
    if (!result.success) return;
    setConfirming(false);
    router.refresh();
  };
  const done = prune.state.status === 'done' ? prune.state.data : null;

  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <details className="manual-retention">
        <summary>
          <h2 id={`${id}-title`}>Retention of manual backups</h2>
        </summary>
        <p className="muted">
          Backups made with "Create backup" and the safety backups taken before a restore are kept until a policy removes them. Set one
          here, preview it, then apply it once. The newest backup, pinned ones and safety backups younger than 7 days always stay.
        </p>
        <RetentionFields
          values={values}
          onChange={(key, value) => setValues((current) => ({ ...current, [key]: value }))}
          policy={policy ?? null}
        />
        <div className="field">
          <label htmlFor={`${id}-timezone`}>Days and weeks counted in</label>
          <TimezoneSelect id={`${id}-timezone`} value={timezone} onChange={setTimezone} />
        </div>
        <div className="retention-actions">
          <RetentionPreview scope={policy ? { policy, timezone } : null} problem={error} />
          <button type="button" className="button button-small button-danger" disabled={!usable} onClick={() => setConfirming(true)}>
            Remove now…
          </button>
        </div>
        {done ? (
          <p role="status" className="status-message status-ok">
            Removed {done.removed.length} {done.removed.length === 1 ? 'backup' : 'backups'}
            {done.failed.length ? `; ${done.failed.length} could not be removed (${done.failed[0]?.error ?? ''})` : ''}.
          </p>
        ) : null}
      </details>
      <ModalDialog open={confirming} title="Remove manual backups now?" onClose={() => setConfirming(false)} locked={prune.pending}>
        <p>
          The manual and safety backups this policy does not keep are deleted from this server and from off-site storage. The policy{' '}
          {usable ? retentionWords(usable) : ''}. This cannot be undone: preview it first if you have not.
        </p>
        {prune.state.status === 'error' ? <AlertMessage message={prune.state.error} /> : null}
        <div className="modal-actions">
          <ConfirmActions
            onCancel={() => setConfirming(false)}
            onConfirm={apply}
            pending={prune.pending}
            confirmLabel="Remove backups"
            pendingLabel="Removing…"
          />
        </div>
      </ModalDialog>
    </section>
  );
}
