'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { deleteBackupAction } from '@/lib/actions/backupActions';
import type { TBackupSummary } from '@/lib/backup/service/summary';
import { formatBytes } from '@/lib/format/bytes';
import { AlertMessage } from './alert-message';
import { ConfirmActions } from './confirm-actions';
import { ModalDialog } from './modal-dialog';
import { useServerAction } from './use-server-action';

/** "Delete" and its confirmation dialog; on success the list refreshes and the row goes away. */
export function DeleteBackupButton({ backup, describedBy }: { backup: TBackupSummary; describedBy: string }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const remove = useServerAction(deleteBackupAction);

  const confirm = async () => {
    const result = await remove.run(backup.id);
    if (!result.success) return;
    // A copy left off-site is worth a sentence before the row goes from the list (on close).
    if (result.data.cloudCopyLeft) return;
    setOpen(false);
    router.refresh();
  };
  const left = remove.state.status === 'done' ? remove.state.data.cloudCopyLeft : undefined;
  const close = () => {
    setOpen(false);
    if (left) router.refresh();
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
      <ModalDialog open={open} title="Delete this backup?" onClose={close} locked={remove.pending}>
        <p>
          The file <code>{backup.filename}</code> ({formatBytes(backup.sizeBytes)}) will be removed from this server. Its entry stays in the
          backup history as deleted. This cannot be undone.
        </p>
        {remove.state.status === 'error' ? <AlertMessage message={remove.state.error} /> : null}
        {left ? (
          <p role="status" className="warning-box">
            Deleted here, but its off-site copy <code>{left}</code> was not removed: off-site storage is not configured on this server.
            Configure it and delete the backup again (from the CLI: <code>erp-backup delete {backup.id} --yes</code>) to remove the copy.
          </p>
        ) : null}
        <div className="modal-actions">
          {left ? (
            <button type="button" className="button" onClick={close}>
              Close
            </button>
          ) : (
            <ConfirmActions
              onCancel={close}
              onConfirm={confirm}
              pending={remove.pending}
              confirmLabel="Delete backup"
              pendingLabel="Deleting…"
            />
          )}
        </div>
      </ModalDialog>
    </>
  );
}
