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

/** A duration a person reads: "0.9 s", "2 min 5 s", "1 h 3 min"; a dash when unknown. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/** A row count with thousands separators; a dash when unknown. */
export function formatCount(count: number | null): string {
  return count === null ? '—' : counts.format(count);
}

/** "backup.access.denied" → "access denied": the audit action without the module prefix. */
export function actionLabel(action: string): string {
  return action.replace(/^backup\./, '').replaceAll('.', ' ');
}

/** An audit row's raw details, pretty-printed for the "raw values" disclosure. */
export function rawDetails(details: unknown): string {
  return JSON.stringify(details, null, 2);
}

const zonedFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * An instant as the clock of `timezone` shows it, with the zone's name:
 * "Sat 28 Nov 2026, 02:00 Europe/London". A schedule's times are read in its
 * own timezone (that is where "02:00" means something), whoever looks.
 */
export function formatInZone(iso: string, timezone: string): string {
  let format = zonedFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    zonedFormats.set(timezone, format);
  }
  return `${format.format(new Date(iso))} ${timezone}`;
}
