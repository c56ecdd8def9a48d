type TTone = 'ok' | 'info' | 'bad' | 'warn' | 'neutral';

const TONES: Record<string, TTone> = {
  COMPLETED: 'ok',
  SUCCESS: 'ok',
  RUNNING: 'info',
  FAILED: 'bad',
  FAILURE: 'bad',
  DENIED: 'warn',
  DELETED: 'neutral',
  // Schedule runs, and a schedule's state.
  SUCCEEDED: 'ok',
  PENDING: 'info',
  ENABLED: 'ok',
  DISABLED: 'neutral',
  PINNED: 'info',
  // A retention preview's verdicts.
  KEPT: 'ok',
  REMOVED: 'warn',
};

/** A backup status, an audit outcome or a schedule's state as a coloured word (the word carries the meaning, the colour only helps). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONES[status] ?? 'neutral'}`}>{status.toLowerCase()}</span>;
}
