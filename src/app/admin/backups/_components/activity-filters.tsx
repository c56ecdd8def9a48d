'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import type { TActivityFilter, TDashboardSearch } from './activity-query';
import { toSearchString } from './search-string';

const ACTIONS: [value: string, label: string][] = [
  ['backup.', 'All backup actions'],
  ['backup.created', 'Created'],
  ['backup.restored', 'Restored'],
  ['backup.deleted', 'Deleted'],
  ['backup.downloaded', 'Downloaded'],
  ['backup.verified', 'Verified'],
  ['backup.drilled', 'Restore drills'],
  ['backup.schedule.', 'Schedules'],
  ['backup.pruned', 'Pruned by retention'],
  ['backup.pinned', 'Pinned'],
  ['backup.access.denied', 'Access denied'],
];

const OUTCOMES: [value: TActivityFilter['outcome'], label: string][] = [
  ['', 'Any outcome'],
  ['SUCCESS', 'Success'],
  ['FAILURE', 'Failure'],
  ['DENIED', 'Denied'],
];

/**
 * Labelled selects and a period of days; every change is applied at once (no
 * submit button to find) by moving to the URL of the filtered view, back on
 * its first page.
 */
export function ActivityFilters({ search }: { search: TDashboardSearch }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // The controls keep what was chosen until the page answers: a second change
  // made before the first navigation ends must build on the first, not on the old URL.
  const [filter, setFilter] = useState<TActivityFilter>(search);
  const current = toSearchString(search);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the URL (its search string) is what the controls follow.
  useEffect(() => setFilter(search), [current]);
  const apply = (change: Partial<TActivityFilter>) => {
    const chosen = { ...filter, ...change };
    setFilter(chosen);
    const next = toSearchString({ ...search, ...chosen, page: 1 });
    startTransition(() => router.push(`/admin/backups${next}`, { scroll: false }));
  };
  return (
    <div className="filters" aria-busy={pending}>
      <label className="filter">
        <span>Action</span>
        <select value={filter.action} onChange={(event) => apply({ action: event.target.value })}>
          {ACTIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>Outcome</span>
        <select value={filter.outcome} onChange={(event) => apply({ outcome: event.target.value as TActivityFilter['outcome'] })}>
          {OUTCOMES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>From</span>
        <input
          type="date"
          value={filter.from ?? ''}
          max={filter.to}
          onChange={(event) => apply({ from: event.target.value || undefined })}
        />
      </label>
      <label className="filter">
        <span>To</span>
        <input type="date" value={filter.to ?? ''} min={filter.from} onChange={(event) => apply({ to: event.target.value || undefined })} />
      </label>
    </div>
  );
}
