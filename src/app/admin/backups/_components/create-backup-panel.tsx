'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { createBackupAction } from '@/lib/actions/backupActions';
import type { TBackupSummary } from '@/lib/backup/service/summary';
import { AlertMessage } from './alert-message';
import { BackupProgress } from './backup-progress';
import { useServerAction } from './use-server-action';

type TBackupKind = TBackupSummary['kind'];

/** The two buttons: what each is called, and what it says while its backup runs. */
const BUTTONS: Record<TBackupKind, { label: string; running: string }> = {
  FULL: { label: 'Create backup', running: 'Backing up…' },
  INCREMENTAL: { label: 'Take snapshot', running: 'Taking snapshot…' },
};

/**
 * "New backup": starts a full backup or a snapshot on the server (which
 * answers at once with its id), follows its progress, and refreshes the
 * page's list when it ends. One at a time: both buttons wait while either runs.
 */
export function CreateBackupPanel() {
  const router = useRouter();
  const create = useServerAction(createBackupAction);
  const [started, setStarted] = useState<{ id: string; kind: TBackupKind } | null>(null);
  const [pressed, setPressed] = useState<TBackupKind>('FULL');
  const [running, setRunning] = useState(false);
  // The refresh runs in a transition so the panel knows when the list below shows the finished row.
  const [listUpdating, startListUpdate] = useTransition();
  const busy = create.pending || running;

  const start = async (kind: TBackupKind) => {
    setPressed(kind);
    const result = await create.run({ kind });
    if (!result.success) return;
    setStarted({ id: result.data.id, kind });
    setRunning(true);
  };

  const settled = () => {
    setRunning(false);
    startListUpdate(() => router.refresh());
  };

  const button = (kind: TBackupKind, className: string) => (
    <button type="button" className={className} onClick={() => start(kind)} disabled={busy}>
      {busy && pressed === kind ? BUTTONS[kind].running : BUTTONS[kind].label}
    </button>
  );

  return (
    <section className="panel" aria-labelledby="create-backup-title">
      <div className="panel-head">
        <h2 id="create-backup-title">New backup</h2>
        <div className="panel-buttons">
          {button('FULL', 'button')}
          {button('INCREMENTAL', 'button button-secondary')}
        </div>
      </div>
      <p className="muted">
        A backup is an encrypted copy of every record of the database, kept on this server; it takes a moment on a large school. A snapshot
        holds the same records but stores only the parts no earlier snapshot already stored, so frequent snapshots stay small.
      </p>
      {create.state.status === 'error' ? <AlertMessage message={create.state.error} /> : null}
      {started ? (
        <BackupProgress
          key={started.id}
          backupId={started.id}
          noun={started.kind === 'INCREMENTAL' ? 'Snapshot' : 'Backup'}
          onSettled={settled}
          listUpdating={listUpdating}
        />
      ) : null}
    </section>
  );
}
