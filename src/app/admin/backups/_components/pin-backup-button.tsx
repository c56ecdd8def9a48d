'use client';

import { useRouter } from 'next/navigation';
import { setBackupPinnedAction } from '@/lib/actions/backupActions';
import type { TBackupSummary } from '@/lib/backup/service/summary';
import { AlertMessage } from './alert-message';
import { useServerAction } from './use-server-action';

/** "Pin" / "Unpin": a pinned backup is kept by every retention policy (the row's "pinned" badge says which it is). */
export function PinBackupButton({ backup, describedBy }: { backup: TBackupSummary; describedBy: string }) {
  const router = useRouter();
  const pin = useServerAction(setBackupPinnedAction);
  const toggle = async () => {
    if ((await pin.run(backup.id, !backup.pinned)).success) router.refresh();
  };
  return (
    <>
      <button
        type="button"
        className="button button-small button-secondary"
        aria-describedby={describedBy}
        title={
          backup.pinned
            ? 'Retention policies keep this backup; unpin to let them remove it'
            : 'Keep this backup whatever the retention policy says'
        }
        disabled={pin.pending}
        onClick={toggle}
      >
        {pin.pending ? (backup.pinned ? 'Unpinning…' : 'Pinning…') : backup.pinned ? 'Unpin' : 'Pin'}
      </button>
      {pin.state.status === 'error' ? <AlertMessage message={pin.state.error} /> : null}
    </>
  );
}
