'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { createBackupAction } from '@/lib/actions/backupActions';
import { AlertMessage } from './alert-message';
import { BackupProgress } from './backup-progress';
import { useServerAction } from './use-server-action';

/**
 * "Create backup": starts a backup on the server (which answers at once with
 * its id), follows its progress, and refreshes the page's list when it ends.
 */
export function CreateBackupPanel() {
  const router = useRouter();
  const create = useServerAction(createBackupAction);
  const [backupId, setBackupId] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  // The refresh runs in a transition so the panel knows when the list below shows the finished row.
  const [listUpdating, startListUpdate] = useTransition();

  const start = async () => {
    const result = await create.run();
    if (!result.success) return;
    setBackupId(result.data.id);
    setRunning(true);
  };

  const settled = () => {
    setRunning(false);
    startListUpdate(() => router.refresh());
  };

  return (
    <section className="panel" aria-labelledby="create-backup-title">
      <div className="panel-head">
        <h2 id="create-backup-title">New backup</h2>
        <button type="button" className="button" onClick={start} disabled={create.pending || running}>
          {create.pending || running ? 'Backing up…' : 'Create backup'}
        </button>
      </div>
      <p className="muted">An encrypted copy of every record of the database, kept on this server. Takes a moment on a large school.</p>
      {create.state.status === 'error' ? <AlertMessage message={create.state.error} /> : null}
      {backupId ? <BackupProgress key={backupId} backupId={backupId} onSettled={settled} listUpdating={listUpdating} /> : null}
    </section>
  );
}
