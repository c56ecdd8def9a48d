'use client';

import { useState } from 'react';
import type { TBackupSummary } from '@/lib/backup/service/summary';
import { ModalDialog } from './modal-dialog';
import { RestoreForm, type TRestorePhase } from './restore-form';

const TITLES: Record<TRestorePhase, string> = {
  confirming: 'Restore this backup?',
  running: 'Restore this backup?',
  done: 'Backup restored',
};

/** "Restore" and the dialog that explains what a restore replaces and asks for the typed confirmation. */
export function RestoreBackupButton({ backup, describedBy }: { backup: TBackupSummary; describedBy: string }) {
  const [open, setOpen] = useState(false);
  const [phase, setPhase] = useState<TRestorePhase>('confirming');
  const openDialog = () => {
    setPhase('confirming');
    setOpen(true);
  };
  return (
    <>
      <button type="button" className="button button-small button-secondary" aria-describedby={describedBy} onClick={openDialog}>
        Restore
      </button>
      <ModalDialog open={open} title={TITLES[phase]} onClose={() => setOpen(false)} locked={phase === 'running'} wide>
        <RestoreForm backup={backup} onPhaseChange={setPhase} onDone={() => setOpen(false)} />
      </ModalDialog>
    </>
  );
}
