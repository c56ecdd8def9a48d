import Link from 'next/link';
import type { TAuditLogPage } from '@/lib/audit/audit-query';
import { ActivityFilters } from './activity-filters';
import type { TDashboardSearch } from './activity-query';
import type { TBackupRef } from './activity-sentence';
import { ActivityTable } from './activity-table';
import { toSearchString } from './search-string';

/**
 * "Recent activity": one page of the backup audit trail, filtered and paged
 * by the URL's search params, so every refresh of the page (after a backup,
 * a restore) reloads the same view fresh from the server.
 */
export function ActivityPanel({
  page,
  search,
  backups,
}: {
  page: TAuditLogPage;
  search: TDashboardSearch;
  backups: ReadonlyMap<string, TBackupRef>;
}) {
  const newer = search.page > 1 ? toSearchString({ ...search, page: search.page - 1 }) || '?' : null;
  const older = page.hasMore ? toSearchString({ ...search, page: search.page + 1 }) : null;
  return (
    <section className="panel" aria-labelledby="activity-title">
      <div className="panel-head">
        <h2 id="activity-title">Recent activity</h2>
        <ActivityFilters search={search} />
      </div>
      <ActivityTable entries={page.entries} backups={backups} deletedShown={search.deleted === '1'} />
      {newer || older ? (
        <nav className="pager" aria-label="Activity pages">
          {newer ? (
            <Link href={`/admin/backups${newer}#activity-title`} scroll={false}>
              ← Newer
            </Link>
          ) : null}
          <span className="muted">Page {search.page}</span>
          {older ? (
            <Link href={`/admin/backups${older}#activity-title`} scroll={false}>
              Older →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </section>
  );
}
