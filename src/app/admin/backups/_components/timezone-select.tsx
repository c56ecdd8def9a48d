'use client';

import { useMemo, useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * The IANA timezones this browser knows, with the current value and UTC always
 * among them (a browser's list can lack a name the server accepts, and some
 * lists omit UTC). The server checks the name again.
 */
function timezones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, 'UTC', current])].sort((a, b) => a.localeCompare(b));
}

/**
 * A select of timezones (label it with `id`). The server's list and the
 * browser's differ, so the server's HTML holds only the current value and the
 * full list arrives right after hydration (no hydration mismatch).
 */
export function TimezoneSelect({
  id,
  value,
  onChange,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (timezone: string) => void;
  describedBy?: string;
}) {
  const inBrowser = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const options = useMemo(() => (inBrowser ? timezones(value) : [value]), [inBrowser, value]);
  return (
    <select id={id} value={value} onChange={(event) => onChange(event.target.value)} aria-describedby={describedBy}>
      {options.map((zone) => (
        <option key={zone} value={zone}>
          {zone.replaceAll('_', ' ')}
        </option>
      ))}
    </select>
  );
}
