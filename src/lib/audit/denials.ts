import { createHash } from 'node:crypto';
import type { PrismaClient } from '@/generated/prisma/client';
import { countAudit, type TAuditContext } from './audit-log';

/**
 * Refused requests are audited without letting anyone flood the trail: all
 * refusals of one source in one minute are one `AuditLog` row whose `count`
 * says how many there were. A source is the client address, the user (or
 * nobody) and what was refused (action and details: the attempted operation
 * and the reason). Beyond `DENIALS_PER_MINUTE` the source is throttled: the
 * row's counter is still the only write, and the caller answers "too many
 * refused requests" (HTTP 429) instead of the usual refusal.
 */

/** Refusals a source gets per minute before it is told to slow down. */
export const DENIALS_PER_MINUTE = 20;

const MINUTE_MS = 60_000;

export interface TDenial {
  /** Dotted audit action, e.g. `backup.access.denied`. */
  action: string;
  /** What was refused and why; part of the source, so keep it small and free of request input. */
  details: Record<string, string>;
}

export interface TDenialRecord {
  /** Refusals of this source in this minute, this one included. */
  count: number;
  /** True beyond `DENIALS_PER_MINUTE`. */
  throttled: boolean;
  /** Seconds until the minute ends and the source starts a new row. */
  retryAfterSeconds: number;
}

/** The start of the minute `now` falls in (the app's clock; instances are assumed NTP-synchronised). */
function minuteOf(now: Date): number {
  return Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS;
}

/** The aggregation key of a source in a minute: a hash, so its length does not depend on client-supplied values. */
export function denialKey(context: TAuditContext, denial: TDenial, now: Date): string {
  const source = [denial.action, new Date(minuteOf(now)).toISOString(), context.ipAddress ?? '', context.actorId ?? '', denial.details];
  return createHash('sha256').update(JSON.stringify(source)).digest('hex');
}

/** Counts one refusal in its source's row of this minute (creating the row on the first one). Throws if the database does. */
export async function recordDenial(
  prisma: PrismaClient,
  context: TAuditContext,
  denial: TDenial,
  now = new Date(),
): Promise<TDenialRecord> {
  const count = await countAudit(
    prisma,
    context,
    { action: denial.action, outcome: 'DENIED', details: denial.details },
    denialKey(context, denial, now),
  );
  return {
    count,
    throttled: count > DENIALS_PER_MINUTE,
    retryAfterSeconds: Math.ceil((minuteOf(now) + MINUTE_MS - now.getTime()) / 1000),
  };
}
