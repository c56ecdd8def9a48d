'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { removeScheduleAction, updateScheduleAction } from '@/lib/actions/backupActions';
import type { TScheduleView } from '@/lib/backup/scheduling/schedule-store';
import { AlertMessage } from './alert-message';
import { ConfirmActions } from './confirm-actions';
import { ModalDialog } from './modal-dialog';
import { ScheduleForm } from './schedule-form';
import { useServerAction } from './use-server-action';

/** "Add schedule" and its dialog. */
export function AddScheduleButton({ serverTimezone }: { serverTimezone: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Add schedule
      </button>
      <ModalDialog open={open} title="Add a schedule" onClose={() => setOpen(false)} wide>
        <ScheduleForm serverTimezone={serverTimezone} onDone={() => setOpen(false)} />
      </ModalDialog>
    </>
  );
}

/**
 * A schedule's buttons: switch it off or on, edit it, remove it (after a
 * confirmation). `describedBy` is the schedule's name, so "Edit" is never
 * ambiguous to a screen reader.
 */
export function ScheduleActions({
  schedule,
  serverTimezone,
  describedBy,
}: {
  schedule: TScheduleView;
  serverTimezone: string;
  describedBy: string;
}) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const toggle = useServerAction(updateScheduleAction);
  const remove = useServerAction(removeScheduleAction);

  const switchOver = async () => {
    if ((await toggle.run(schedule.id, { enabled: !schedule.enabled })).success) router.refresh();
  };
  const confirmRemove = async () => {
    if (!(await remove.run(schedule.id)).success) return;
    setRemoving(false);
    router.refresh();
  };

  return (
    <>
      <div className="row-actions">
        <button
          type="button"
          className="button button-small button-secondary"
          aria-describedby={describedBy}
          disabled={toggle.pending}
          onClick={switchOver}
        >
          {schedule.enabled ? 'Disable' : 'Enable'}
        </button>
        <button
          type="button"
          className="button button-small button-secondary"
          aria-describedby={describedBy}
          onClick={() => setEditing(true)}
        >
          Edit
        </button>
        <button
          type="button"
          className="button button-small button-secondary button-danger"
          aria-describedby={describedBy}
          onClick={() => setRemoving(true)}
        >
          Remove
        </button>
      </div>
      {toggle.state.status === 'error' ? <AlertMessage message={toggle.state.error} /> : null}
      <ModalDialog open={editing} title={`Edit "${schedule.name}"`} onClose={() => setEditing(false)} wide>
        <ScheduleForm schedule={schedule} serverTimezone={serverTimezone} onDone={() => setEditing(false)} />
      </ModalDialog>
      <ModalDialog open={removing} title="Remove this schedule?" onClose={() => setRemoving(false)} locked={remove.pending}>
        <p>
          <strong>{schedule.name}</strong> ({schedule.description}) will make no more backups. The backups it already made stay until you
          delete them.
        </p>
        {remove.state.status === 'error' ? <AlertMessage message={remove.state.error} /> : null}
        <div className="modal-actions">
          <ConfirmActions
            onCancel={() => setRemoving(false)}
            onConfirm={confirmRemove}
            pending={remove.pending}
            confirmLabel="Remove schedule"
            pendingLabel="Removing…"
          />
        </div>
      </ModalDialog>
    </>
  );
}
