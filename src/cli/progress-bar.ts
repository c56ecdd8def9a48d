import { getActiveProgress, percentOf } from '@/lib/backup/process/progress';
import { formatBytes } from '@/lib/format/bytes';

function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * Draws a progress bar (phase, rows, bytes, ETA) on the terminal while an
 * operation runs; does nothing when stderr is not a terminal (CI, pipes).
 */
export function startProgressBar(stream: NodeJS.WriteStream = process.stderr): () => void {
  if (!stream.isTTY) return () => {};
  const timer = setInterval(() => {
    const progress = getActiveProgress();
    if (!progress) return;
    const percent = percentOf(progress);
    const width = 28;
    const filled = Math.round((percent / 100) * width);
    const elapsed = (Date.now() - progress.startedAt) / 1000;
    const eta = progress.rowsDone > 0 ? (elapsed * (progress.rowsTotal - progress.rowsDone)) / progress.rowsDone : Number.NaN;
    const line = `${progress.phase.padEnd(13)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}%  ${progress.rowsDone.toLocaleString()}/${progress.rowsTotal.toLocaleString()} rows  ${formatBytes(progress.bytesWritten)}  ETA ${formatSeconds(eta)}  ${progress.currentModel ?? ''}`;
    stream.write(`\r${line.slice(0, (stream.columns ?? 120) - 1).padEnd((stream.columns ?? 120) - 1)}`);
  }, 200);
  return () => {
    clearInterval(timer);
    stream.write('\r\x1b[K');
  };
}
