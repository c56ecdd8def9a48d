import Link from 'next/link';
import type { TDashboardSearch } from './activity-query';
import { toSearchString } from './search-string';

/**
 * Shows or hides deleted backups in the list: a deleted backup stays in the
 * history (its row, its audit trail) without its file, and this is where an
 * administrator finds it again. A link, so the view survives a reload.
 */
export function DeletedToggle({ search }: { search: TDashboardSearch }) {
  const shown = search.deleted === '1';
  const href = `/admin/backups${toSearchString({ ...search, deleted: shown ? undefined : '1' })}`;
  return (
    <p className="list-options">
      <Link href={href} scroll={false}>
        {shown ? 'Hide deleted backups' : 'Show deleted backups'}
      </Link>
    </p>
  );
}
