'use client';

import { formatBytes } from '@/lib/format/bytes';
import type { TBackupProgressView } from '@/lib/utils/backup-service';
import { AlertMessage } from './alert-message';
import { formatCount } from './format';
import { ProgressBar } from './progress-bar';
import { useBackupProgress } from './use-backup-progress';

const PHASES: Record<string, string> = {
  preparing: 'Preparing',
  exporting: 'Exporting',
  finishing: 'Finishing',
  verifying: 'Verifying',
  done: 'Done',
  failed: 'Failed',
};

function phaseText(view: TBackupProgressView): string {
  if (view.status === 'COMPLETED') return 'Completed';
  if (view.status === 'FAILED') return 'Failed';
  const phase = PHASES[view.phase ?? 'preparing'] ?? view.phase ?? 'Working';
  return view.currentModel ? `${phase} ${view.currentModel}` : phase;
}

/** The live progress of one backup: phase, rows, size and a bar; the outcome once it ends. */
export function BackupProgress({
  backupId,
  noun = 'Backup',
  onSettled,
  listUpdating,
}: {
  backupId: string;
  /** What the messages call it: "Backup completed…", "Snapshot completed…". */
  noun?: 'Backup' | 'Snapshot';
  onSettled: (view: TBackupProgressView | null) => void;
  /** True while the page reloads the list after the end: "added to the list" waits for it. */
  listUpdating: boolean;
}) {
  const { view, error } = useBackupProgress(backupId, onSettled);
  const lower = noun.toLowerCase();
  if (error) return <AlertMessage message={`Could not follow the ${lower}'s progress: ${error}`} />;
  if (!view) return <p className="muted">Starting the {lower}…</p>;
  const rows = `${formatCount(view.rowsDone)} of ${formatCount(view.rowsTotal)} rows`;
  return (
    <div className="backup-progress">
      {/* Not a live region: announcing every poll would drown a screen reader; the outcome is announced below. */}
      <p className="backup-progress-text">
        <strong>{phaseText(view)}</strong> · {rows} · {formatBytes(view.bytesWritten)} · {view.percent}%
      </p>
      <ProgressBar percent={view.percent} label={`${noun} progress`} valueText={`${view.percent}% — ${phaseText(view)}, ${rows}`} />
      <p role="status" className="status-message">
        {view.status === 'COMPLETED'
          ? listUpdating
            ? `${noun} completed; updating the list…`
            : `${noun} completed and added to the list below.`
          : null}
      </p>
      {view.status === 'FAILED' ? <AlertMessage message={`The ${lower} failed: ${view.error ?? 'no reason was recorded'}`} /> : null}
    </div>
  );
}
