'use client';

import { useRouter } from 'next/navigation';
import { syncUploadsAction } from '@/lib/actions/backupActions';
import type { TBackupSummary } from '@/lib/backup/service/summary';
import { AlertMessage } from './alert-message';
import { useServerAction } from './use-server-action';

/**
 * Shown while some backups have no off-site copy because their upload
 * failed: says why and retries the uploads (the same as `erp-backup sync`).
 */
export function PendingUploads({ backups }: { backups: TBackupSummary[] }) {
  const pending = backups.filter((backup) => backup.status === 'COMPLETED' && backup.uploadError);
  const sync = useServerAction(syncUploadsAction);
  const router = useRouter();
  if (pending.length === 0) return null;
  const retry = async () => {
    if ((await sync.run()).success) router.refresh();
  };
  const failed = sync.state.status === 'done' ? sync.state.data.failed : [];
  return (
    <div className="pending-uploads" role="status">
      <p>
        {pending.length === 1 ? '1 backup is' : `${pending.length} backups are`} kept on this server only: the off-site upload failed (
        {pending[0]?.uploadError}).
      </p>
      <button type="button" className="button button-small button-secondary" onClick={retry} disabled={sync.pending}>
        {sync.pending ? 'Uploading…' : 'Retry off-site uploads'}
      </button>
      <AlertMessage message={sync.state.status === 'error' ? sync.state.error : failed[0]?.error} />
    </div>
  );
}
