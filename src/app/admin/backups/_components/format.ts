/** Display helpers of the backups dashboard: plain functions, safe on the server and in the browser. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;
const counts = new Intl.NumberFormat('en');

/** A byte count in binary units ("1.4 MiB"); a dash when unknown (a backup still running or failed). */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

/** A row count with thousands separators; a dash when unknown. */
export function formatCount(count: number | null): string {
  return count === null ? '—' : counts.format(count);
}

/** "backup.access.denied" → "access denied": the audit action without the module prefix. */
export function actionLabel(action: string): string {
  return action.replace(/^backup\./, '').replaceAll('.', ' ');
}

/**
 * An audit row's details in one line ("sizeBytes: 5120 · totalRows: 900"),
 * cut short: the full JSON is in the database for whoever investigates.
 */
export function detailsText(details: unknown, max = 140): string {
  if (details === null || details === undefined) return '';
  const text =
    typeof details === 'object' && !Array.isArray(details)
      ? Object.entries(details)
          .filter(([, value]) => value !== null && value !== undefined)
          .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') || 'none' : String(value)}`)
          .join(' · ')
      : JSON.stringify(details);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
