import 'server-only';
import type { PrismaClient } from '@/generated/prisma/client';
import { writeAudit } from '@/lib/audit/audit-log';
import { auditContextFor, type TRequestContext } from './request-context';
import type { TSessionData } from './session';
import { revokeSession } from './session-store';

export const LOGOUT_AUDIT_ACTION = 'auth.logout';

/**
 * Ends the cookie's session on the server, so the cookie is refused from now
 * on by every instance even if a copy of it is replayed, and records
 * `auth.logout`. Does nothing for a session that had already ended. Throws
 * when the session cannot be ended (the caller must not pretend it was);
 * an audit row that cannot be written is only logged, because the session
 * has ended either way.
 */
export async function signOut(
  prisma: PrismaClient,
  session: TSessionData | null,
  request: TRequestContext,
  now: number = Date.now(),
): Promise<void> {
  if (!session) return;
  const userId = await revokeSession(prisma, session, 'logout', now);
  if (!userId) return;
  try {
    const user = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, email: true } });
    await writeAudit(prisma, auditContextFor(user ?? { id: userId, email: '' }, request), {
      action: LOGOUT_AUDIT_ACTION,
      outcome: 'SUCCESS',
      targetId: userId,
    });
  } catch (error) {
    console.error(`[audit] could not record the logout of user ${userId}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
