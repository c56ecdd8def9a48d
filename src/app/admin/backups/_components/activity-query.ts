import type { TAuditLogQuery } from '@/lib/audit/audit-query';

/**
 * The activity panel's filter and its translation into an audit query.
 * No 'use client' here: the page (a server component) builds the first query
 * from the same values the panel uses.
 */
export interface TActivityFilter {
  /** An exact action, or "backup." for every backup action. */
  action: string;
  /** '' for any outcome. */
  outcome: '' | 'SUCCESS' | 'FAILURE' | 'DENIED';
}

export const ALL_ACTIVITY: TActivityFilter = { action: 'backup.', outcome: '' };

/** How many audit rows the panel shows. */
const ACTIVITY_LIMIT = 50;

export function isAllActivity(filter: TActivityFilter): boolean {
  return filter.action === ALL_ACTIVITY.action && filter.outcome === ALL_ACTIVITY.outcome;
}

export function toAuditQuery(filter: TActivityFilter): TAuditLogQuery {
  return { action: filter.action, ...(filter.outcome ? { outcome: filter.outcome } : {}), limit: ACTIVITY_LIMIT };
}
