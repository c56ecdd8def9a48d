'use client';

import { useMemo } from 'react';

/**
 * The IANA timezones this browser knows, with the current value and UTC always
 * among them (a browser's list can lack a name the server accepts, and some
 * lists omit UTC). The server checks the name again.
 */
function timezones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([...known, 'UTC', current])].sort((a, b) => a.localeCompare(b));
}

/** A labelled select of timezones. */
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
  const options = useMemo(() => timezones(value), [value]);
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
