'use client';

import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { type TActivityFilter, type TDashboardSearch, toSearchString } from './activity-query';

const ACTIONS: [value: string, label: string][] = [
  ['backup.', 'All backup actions'],
  ['backup.created', 'Created'],
  ['backup.restored', 'Restored'],
  ['backup.deleted', 'Deleted'],
  ['backup.downloaded', 'Downloaded'],
  ['backup.verified', 'Verified'],
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
  const apply = (change: Partial<TActivityFilter>) => {
    const next = toSearchString({ ...search, ...change, page: 1 });
    startTransition(() => router.push(`/admin/backups${next}`, { scroll: false }));
  };
  return (
    <div className="filters" aria-busy={pending}>
      <label className="filter">
        <span>Action</span>
        <select value={search.action} onChange={(event) => apply({ action: event.target.value })}>
          {ACTIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>Outcome</span>
        <select value={search.outcome} onChange={(event) => apply({ outcome: event.target.value as TActivityFilter['outcome'] })}>
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
          value={search.from ?? ''}
          max={search.to}
          onChange={(event) => apply({ from: event.target.value || undefined })}
        />
      </label>
      <label className="filter">
        <span>To</span>
        <input type="date" value={search.to ?? ''} min={search.from} onChange={(event) => apply({ to: event.target.value || undefined })} />
      </label>
    </div>
  );
}
