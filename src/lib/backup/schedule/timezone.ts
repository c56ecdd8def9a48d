/**
 * Wall-clock arithmetic in an IANA timezone with nothing but `Intl`, so it runs
 * in Node and in the browser alike. A "wall" time is the local calendar time
 * written as if it were UTC milliseconds (02:30 local -> Date.UTC(..., 2, 30)):
 * that lets plain integer arithmetic work on local calendar fields (retention
 * buckets, `keepWithin`'s "1 month back"). Slot arithmetic itself is croner's.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    // h23 because some locales render midnight as 24 with hour12: false.
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timezone, f);
  }
  return f;
}

/** True when `timezone` is an IANA name this runtime knows (`UTC` included). */
export function isValidTimezone(timezone: string): boolean {
  if (timezone.trim() === '' || timezone !== timezone.trim()) return false;
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

/** Calendar fields of `instant` in `timezone` (month 1-12). */
export type TWallFields = { year: number; month: number; day: number; hour: number; minute: number; second: number };

/** The local calendar fields of an instant. */
export function wallFields(instantMs: number, timezone: string): TWallFields {
  const fields: Record<string, number> = {};
  let bc = false;
  for (const part of formatter(timezone).formatToParts(new Date(instantMs))) {
    if (part.type === 'era') bc = part.value.startsWith('B');
    else if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  const year = fields.year ?? 0;
  return {
    year: bc ? 1 - year : year,
    month: fields.month ?? 1,
    day: fields.day ?? 1,
    hour: fields.hour ?? 0,
    minute: fields.minute ?? 0,
    second: fields.second ?? 0,
  };
}

/** Builds a wall time (local fields written as UTC milliseconds). */
export function wallMs(f: Pick<TWallFields, 'year' | 'month' | 'day'> & Partial<TWallFields>): number {
  // Out-of-range months and days roll over (month 0 is December of the year before), as Go's time.Date does.
  return Date.UTC(f.year, f.month - 1, f.day, f.hour ?? 0, f.minute ?? 0, f.second ?? 0);
}

/** UTC offset of `timezone` at an instant, in milliseconds (whole seconds). */
export function offsetAt(instantMs: number, timezone: string): number {
  const floored = Math.floor(instantMs / 1000) * 1000;
  return wallMs(wallFields(floored, timezone)) - floored;
}

/** The wall time of an instant. */
export function toWall(instantMs: number, timezone: string): number {
  return instantMs + offsetAt(instantMs, timezone);
}
