'use client';

import type { TActivityFilter } from './activity-query';

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

/** Two labelled selects; every change is applied at once (no submit button to find). */
export function ActivityFilters({ filter, onChange }: { filter: TActivityFilter; onChange: (filter: TActivityFilter) => void }) {
  return (
    <div className="filters">
      <label className="filter">
        <span>Action</span>
        <select value={filter.action} onChange={(event) => onChange({ ...filter, action: event.target.value })}>
          {ACTIONS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        <span>Outcome</span>
        <select
          value={filter.outcome}
          onChange={(event) => onChange({ ...filter, outcome: event.target.value as TActivityFilter['outcome'] })}
        >
          {OUTCOMES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
