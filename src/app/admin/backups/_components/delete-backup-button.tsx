'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { deleteBackupAction } from '@/lib/actions/backupActions';
import type { TBackupSummary } from '@/lib/backup/service/summary';
import { AlertMessage } from './alert-message';
import { formatBytes } from './format';
import { ModalDialog } from './modal-dialog';
import { useServerAction } from './use-server-action';

/** "Delete" and its confirmation dialog; on success the list refreshes and the row goes away. */
export function DeleteBackupButton({ backup, describedBy }: { backup: TBackupSummary; describedBy: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useServerAction(deleteBackupAction);

  const confirm = async () => {
    if (!(await remove.run(backup.id)).success) return;
    setOpen(false);
    router.refresh();
  };

  return (
    <>
      <button
        type="button"
        className="button button-small button-secondary button-danger"
        aria-describedby={describedBy}
        onClick={() => setOpen(true)}
      >
        Delete
      </button>
      <ModalDialog open={open} title="Delete this backup?" onClose={() => setOpen(false)} locked={remove.pending}>
        <p>
          The file <code>{backup.filename}</code> ({formatBytes(backup.sizeBytes)}) will be removed from this server. Its entry stays in the
          backup history as deleted. This cannot be undone.
        </p>
        {remove.state.status === 'error' ? <AlertMessage message={remove.state.error} /> : null}
        <div className="modal-actions">
          <button type="button" className="button button-secondary" data-autofocus onClick={() => setOpen(false)} disabled={remove.pending}>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={confirm} disabled={remove.pending}>
            {remove.pending ? 'Deleting…' : 'Delete backup'}
          </button>
        </div>
      </ModalDialog>
    </>
  );
}
