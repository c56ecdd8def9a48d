'use client';

import { useEffect, useState } from 'react';
import { listBackupAuditLogAction } from '@/lib/actions/backupActions';
import type { TAuditLogEntry } from '@/lib/audit/audit-query';
import { ActivityFilters } from './activity-filters';
import { ALL_ACTIVITY, isAllActivity, type TActivityFilter, toAuditQuery } from './activity-query';
import { ActivityTable } from './activity-table';
import { AlertMessage } from './alert-message';
import { callAction } from './use-server-action';

/**
 * "Recent activity": the backup audit trail. Unfiltered, it shows the rows
 * the page loaded (fresh after every refresh); filtered, it asks
 * `listBackupAuditLogAction`, again whenever the page refreshes, so a
 * filtered view never goes stale after a backup or a restore.
 */
export function ActivityPanel({ initialEntries }: { initialEntries: TAuditLogEntry[] }) {
  const [filter, setFilter] = useState<TActivityFilter>(ALL_ACTIVITY);
  const [entries, setEntries] = useState(initialEntries);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    setError(null);
    if (isAllActivity(filter)) {
      setEntries(initialEntries);
      setLoading(false);
      return;
    }
    let current = true;
    setLoading(true);
    callAction(listBackupAuditLogAction, toAuditQuery(filter)).then((result) => {
      if (!current) return;
      setLoading(false);
      if (result.success) setEntries(result.data);
      else setError(result.error);
    });
    return () => {
      current = false;
    };
  }, [filter, initialEntries]);

  return (
    <section className="panel" aria-labelledby="activity-title" aria-busy={loading}>
      <div className="panel-head">
        <h2 id="activity-title">Recent activity</h2>
        <ActivityFilters filter={filter} onChange={setFilter} />
      </div>
      <AlertMessage message={error} />
      <ActivityTable entries={entries} />
    </section>
  );
}
