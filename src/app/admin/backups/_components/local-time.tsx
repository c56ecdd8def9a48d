'use client';

import { useSyncExternalStore } from 'react';

const inBrowserFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const serverFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
const subscribe = () => () => {};

/**
 * A timestamp in the reader's own time zone. The server does not know that
 * zone, so the server's HTML says UTC and the browser switches to local time
 * right after hydration (no hydration mismatch, no flash of a wrong zone
 * without its label).
 */
export function LocalTime({ iso, fallback = '—' }: { iso: string | null; fallback?: string }) {
  const inBrowser = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  if (!iso) return <span className="muted">{fallback}</span>;
  const date = new Date(iso);
  return (
    <time dateTime={iso} title={iso}>
      {inBrowser ? inBrowserFormat.format(date) : `${serverFormat.format(date)} UTC`}
    </time>
  );
}
