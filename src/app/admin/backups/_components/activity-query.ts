import { z } from 'zod';
import type { TAuditLogQuery } from '@/lib/audit/audit-query';

/**
 * The dashboard's view, kept in the URL's search params so a filtered page of
 * activity can be reloaded, shared and paged with plain links: the activity
 * filter (action, outcome, a period of whole UTC days), the activity page,
 * and whether deleted backups are listed. No 'use client' here: the page (a
 * server component) parses them, the filter controls write them.
 */
const ZDay = z.iso.date({ error: 'Dates must be written YYYY-MM-DD' });

export const ZDashboardSearch = z
  .object({
    /** An exact action, or "backup." for every backup action. */
    action: z
      .string()
      .regex(/^backup\.[a-z.]*$/, 'Unknown action filter')
      .max(64)
      .default('backup.'),
    /** '' for any outcome. */
    outcome: z.enum(['', 'SUCCESS', 'FAILURE', 'DENIED']).default(''),
    /** First day shown (UTC), inclusive. */
    from: ZDay.optional(),
    /** Last day shown (UTC), inclusive. */
    to: ZDay.optional(),
    /** 1 is the newest page. */
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    /** "1" lists deleted backups too. */
    deleted: z.enum(['1']).optional(),
  })
  .refine((search) => !search.from || !search.to || search.from <= search.to, {
    message: 'The first day must not come after the last day',
  });
export type TDashboardSearch = z.output<typeof ZDashboardSearch>;

/** The activity panel's filter: the part of the view its controls change. */
export type TActivityFilter = Pick<TDashboardSearch, 'action' | 'outcome' | 'from' | 'to'>;

export const ALL_ACTIVITY: TActivityFilter = { action: 'backup.', outcome: '' };

/** How many audit rows one page of the panel shows. */
export const ACTIVITY_PAGE_SIZE = 50;

const DAY_MS = 86_400_000;

/**
 * The view a URL asks for, or the default view and why the URL was not
 * understood (a hand-edited link should not break the dashboard).
 */
export function parseDashboardSearch(params: Record<string, string | string[] | undefined>): {
  search: TDashboardSearch;
  error: string | null;
} {
  // Only the first of repeated params counts; empty ones mean "not set".
  const flat = Object.fromEntries(
    Object.entries(params).flatMap(([key, value]) => {
      const first = Array.isArray(value) ? value[0] : value;
      return first ? [[key, first]] : [];
    }),
  );
  const parsed = ZDashboardSearch.safeParse(flat);
  if (parsed.success) return { search: parsed.data, error: null };
  return {
    search: ZDashboardSearch.parse({}),
    error: `This link's filter was not understood (${parsed.error.issues.map((issue) => issue.message).join('; ')}); showing all recent activity.`,
  };
}

/** The audit query of a view: its filter, its period as UTC instants (the last day included), its page. */
export function toAuditQuery(search: TActivityFilter & { page?: number }): TAuditLogQuery {
  return {
    action: search.action,
    ...(search.outcome ? { outcome: search.outcome } : {}),
    ...(search.from ? { from: `${search.from}T00:00:00.000Z` } : {}),
    ...(search.to ? { to: new Date(Date.parse(`${search.to}T00:00:00.000Z`) + DAY_MS).toISOString() } : {}),
    limit: ACTIVITY_PAGE_SIZE,
    offset: ((search.page ?? 1) - 1) * ACTIVITY_PAGE_SIZE,
  };
}
