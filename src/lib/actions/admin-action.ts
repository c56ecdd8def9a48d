import 'server-only';
import type { z } from 'zod';
import { type TAuditContext, writeAuditBestEffort } from '@/lib/audit/audit-log';
import { recordDenial } from '@/lib/audit/denials';
import { getCurrentUser, type TCurrentUser } from '@/lib/auth/current-user';
import { auditContextFor, getRequestContext } from '@/lib/auth/request-context';
import { decideBackupAccess, type TAccessDecision } from '@/lib/backup/api/access-policy';
import { getDb } from '@/lib/db/client';

/** What every server action returns, as the ERP's pages expect. */
export type TActionResult<T> = { success: true; data: T } | { success: false; error: string };

export interface TAdminContext {
  user: TCurrentUser;
  audit: TAuditContext;
}

/** Why a request was refused: no session, a role that may not, or an ADMIN of a multi-school database. */
export type TDenialReason = Extract<TAccessDecision, { allowed: false }>['reason'];

export type TBackupAccess =
  | { allowed: true; context: TAdminContext }
  | { allowed: false; error: string; status: 401 | 403 | 429; reason: TDenialReason; retryAfterSeconds?: number };

export const TOO_MANY_DENIALS = 'Too many refused requests. Try again in a minute.';

/**
 * Session → role check shared by actions and route handlers: who is asking,
 * may they use whole-database backups, and the audit context of the
 * request. Refusals are audited as `backup.access.denied`, one row per
 * source and minute with a count (src/lib/audit/denials.ts); a source
 * refused more than `DENIALS_PER_MINUTE` times in a minute is answered 429.
 * The throttle only ever changes the answer to a request already refused:
 * a signed-in administrator behind the same address is never slowed down.
 */
export async function authorizeBackupAdmin(action: string): Promise<TBackupAccess> {
  const [user, request, db] = await Promise.all([getCurrentUser(), getRequestContext(), getDb()]);
  const audit = auditContextFor(user, request);
  const decision = decideBackupAccess(user, user ? await db.prisma.school.count() : 0);
  if (decision.allowed && user) return { allowed: true, context: { user, audit } };
  const reason = decision.allowed ? ('UNAUTHENTICATED' as const) : decision.reason;
  const refused = {
    allowed: false as const,
    error: decision.allowed ? 'Unauthorized' : decision.message,
    status: reason === 'UNAUTHENTICATED' ? (401 as const) : (403 as const),
    reason,
  };
  try {
    const denial = await recordDenial(db.prisma, audit, { action: 'backup.access.denied', details: { attempted: action, reason } });
    if (denial.throttled) return { ...refused, error: TOO_MANY_DENIALS, status: 429, retryAfterSeconds: denial.retryAfterSeconds };
  } catch (error) {
    // The request is refused either way; a trail that cannot be written is the operator's to fix.
    console.error(`[audit] could not record a denied ${action}: ${String(error)}`);
  }
  return refused;
}

/**
 * The one wrapper for backup actions: session → role → input parse → call →
 * result. An exported server action is a public HTTP endpoint, so every call
 * re-checks the session on the server; denied and malformed attempts are
 * audited, and nothing of the input reaches the service unless it parses.
 */
export function adminAction<TArgs extends unknown[], TInput, TResult extends TActionResult<unknown>>(
  action: string,
  schema: z.ZodType<TInput, unknown>,
  toInput: (...args: TArgs) => unknown,
  run: (input: TInput, context: TAdminContext) => Promise<TResult>,
): (...args: TArgs) => Promise<TResult | { success: false; error: string }> {
  return async (...args: TArgs) => {
    const access = await authorizeBackupAdmin(action);
    if (!access.allowed) return { success: false, error: access.error };
    const parsed = schema.safeParse(toInput(...args));
    if (!parsed.success) {
      const message = parsed.error.issues.map((issue) => issue.message).join('; ');
      const { prisma } = await getDb();
      await writeAuditBestEffort(
        prisma,
        access.context.audit,
        {
          action: `${action}.rejected`,
          outcome: 'FAILURE',
          details: { error: message },
        },
        (message) => console.error(`[audit] ${message}`),
      );
      return { success: false, error: message };
    }
    return run(parsed.data, access.context);
  };
}
