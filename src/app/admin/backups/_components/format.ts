/** Display helpers of the backups dashboard: plain functions, safe on the server and in the browser. */

const counts = new Intl.NumberFormat('en');

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
