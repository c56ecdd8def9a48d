/**
 * The one byte formatter of the app: the dashboard, the activity sentences,
 * the CLI's tables and its progress bar all print sizes through it. It has no
 * imports, so client components can use it too.
 */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

/**
 * A byte count in binary units ("512 B", "1.4 MiB"); `unknown` (a dash by
 * default) when the size is not known, e.g. a backup still running or failed.
 */
export function formatBytes(bytes: number | null, unknown = '—'): string {
  if (bytes === null) return unknown;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}
