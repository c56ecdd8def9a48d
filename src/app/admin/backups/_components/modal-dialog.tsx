'use client';

import { type ReactNode, type SyntheticEvent, useEffect, useId, useRef } from 'react';

interface TModalDialogProps {
  open: boolean;
  title: string;
  /** Called whenever the dialog closes: Escape, a Cancel button (which sets `open` to false) or the browser. */
  onClose: () => void;
  /** While true, Escape does not close the dialog (an operation is running that the user cannot take back). */
  locked?: boolean;
  /** Room for two columns (the restore dialog). */
  wide?: boolean;
  children: ReactNode;
}

/**
 * A modal on the native `<dialog>`: the browser traps focus, makes the page
 * behind inert, closes on Escape and gives focus back to the button that
 * opened it. The content mounts only while open, so each opening starts
 * fresh; the element marked `data-autofocus` gets the focus.
 */
export function ModalDialog({ open, title, onClose, locked = false, wide = false, children }: TModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
    }
  }, [open]);

  const onCancel = (event: SyntheticEvent<HTMLDialogElement>) => {
    if (locked) event.preventDefault();
  };

  return (
    <dialog ref={ref} className={wide ? 'modal modal-wide' : 'modal'} aria-labelledby={titleId} onClose={onClose} onCancel={onCancel}>
      <h2 id={titleId} className="modal-title">
        {title}
      </h2>
      {open ? children : null}
    </dialog>
  );
}
