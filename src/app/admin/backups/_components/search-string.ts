import type { TDashboardSearch } from './activity-query';

// Apart from activity-query.ts so the client controls do not bundle zod (its
// start-up probe for `new Function` is a CSP violation in the browser).
const ALL_ACTIONS = 'backup.';

/** The search string of a view, leaving out defaults so the plain dashboard stays at a plain URL. */
export function toSearchString(search: Partial<TDashboardSearch>): string {
  const params = new URLSearchParams();
  if (search.action && search.action !== ALL_ACTIONS) params.set('action', search.action);
  if (search.outcome) params.set('outcome', search.outcome);
  if (search.from) params.set('from', search.from);
  if (search.to) params.set('to', search.to);
  if (search.page && search.page > 1) params.set('page', String(search.page));
  if (search.deleted) params.set('deleted', search.deleted);
  const text = params.toString();
  return text ? `?${text}` : '';
}
