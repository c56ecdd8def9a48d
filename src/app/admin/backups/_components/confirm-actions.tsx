/**
 * The two buttons that end a confirmation dialog: Cancel (focused first, so
 * Enter never destroys anything by accident) and the dangerous action, both
 * disabled while it runs, the action saying what it is doing.
 */
export function ConfirmActions({
  onCancel,
  onConfirm,
  pending,
  confirmLabel,
  pendingLabel,
}: {
  onCancel: () => void;
  onConfirm: () => void;
  pending: boolean;
  confirmLabel: string;
  pendingLabel: string;
}) {
  return (
    <>
      <button type="button" className="button button-secondary" data-autofocus onClick={onCancel} disabled={pending}>
        Cancel
      </button>
      <button type="button" className="button button-danger" onClick={onConfirm} disabled={pending}>
        {pending ? pendingLabel : confirmLabel}
      </button>
    </>
  );
}
