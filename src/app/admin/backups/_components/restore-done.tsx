'use client';

import { useEffect, useRef } from 'react';
import { formatCount } from './format';

/**
 * What the restore dialog shows once the restore succeeded. Takes the focus,
 * since the button that had it is gone.
 */
export function RestoreDone({
  recordsRestored,
  emptied,
  safetyBackupTaken,
  onClose,
}: {
  recordsRestored: number;
  /** Tables emptied because the backup had no rows for them (as the dialog said beforehand). */
  emptied: string[];
  safetyBackupTaken: boolean;
  onClose: () => void;
}) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="restore-done">
      <p role="status" className="status-message status-ok">
        Restored {formatCount(recordsRestored)} rows.
      </p>
      {emptied.length ? (
        <p>
          Emptied (not in the backup): <code>{emptied.join(', ')}</code>
        </p>
      ) : null}
      <p className="muted">The backup history and the audit log were kept as they were.</p>
      {safetyBackupTaken ? <p className="muted">The data as it was just before is kept in the new safety backup in the list.</p> : null}
      <div className="modal-actions">
        <button ref={closeRef} type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
