import 'server-only';
import { cookies } from 'next/headers';
import { cache } from 'react';
import type { PrismaClient } from '@/generated/prisma/client';
import type { Role } from '@/generated/prisma/enums';
import { getDb } from '@/lib/db/client';
import { readSession, type TSessionData } from './session';
import { findSessionRecord, isSessionLive } from './session-store';

/** The signed-in user as every page, Server Action and Route Handler sees it: fresh from the database. */
export interface TCurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  schoolId: string | null;
  /** Always true: an inactive user has no current user. Kept so callers can pass the row on as is. */
  isActive: boolean;
}

/**
 * The user a session belongs to, or null when there is no session, its row
 * is gone, revoked or past its 8 hours, the user is gone or deactivated, or
 * their password or role changed since sign-in. Read on every request (two
 * primary-key reads, in parallel), so an ended session stops at the next
 * click on every instance.
 */
export async function loadSessionUser(
  prisma: PrismaClient,
  session: TSessionData | null,
  now: number = Date.now(),
): Promise<TCurrentUser | null> {
  if (!session) return null;
  const [record, user] = await Promise.all([
    findSessionRecord(prisma, session),
    prisma.user.findUnique({
      where: { id: session.userId },
      select: { id: true, email: true, name: true, role: true, schoolId: true, isActive: true, passwordHash: true },
    }),
  ]);
  if (!record || !user || !isSessionLive(record, user, now)) return null;
  const { passwordHash: _passwordHash, ...current } = user;
  return current;
}

/**
 * THE way server code learns who is signed in: the session cookie, then its
 * session row and the user row. Null when nobody is (or may be) signed in;
 * callers decide between a redirect to /login and a 403. Memoised per
 * request, so the header and the page share one lookup. Throws when
 * production lacks `SESSION_SECRET`.
 */
export const getCurrentUser = cache(async (): Promise<TCurrentUser | null> => {
  const session = await readSession(await cookies());
  if (!session) return null;
  const { prisma } = await getDb();
  return loadSessionUser(prisma, session);
});
