type TTone = 'ok' | 'info' | 'bad' | 'warn' | 'neutral';

const TONES: Record<string, TTone> = {
  COMPLETED: 'ok',
  SUCCESS: 'ok',
  RUNNING: 'info',
  FAILED: 'bad',
  FAILURE: 'bad',
  DENIED: 'warn',
  DELETED: 'neutral',
};

/** A backup status or an audit outcome as a coloured word (the word carries the meaning, the colour only helps). */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONES[status] ?? 'neutral'}`}>{status.toLowerCase()}</span>;
}
