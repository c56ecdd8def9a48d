'use client';

import { useEffect, useRef } from 'react';
import { formatCount } from './format';

/**
 * What the restore dialog shows once the restore succeeded. Takes the focus,
 * since the button that had it is gone.
 */
export function RestoreDone({
  recordsRestored,
  safetyBackupTaken,
  onClose,
}: {
  recordsRestored: number;
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
      {safetyBackupTaken ? <p className="muted">The data as it was just before is kept in the new safety backup in the list.</p> : null}
      <div className="modal-actions">
        <button ref={closeRef} type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
