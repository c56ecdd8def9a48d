import 'server-only';
import { cookies } from 'next/headers';
import { cache } from 'react';
import type { PrismaClient } from '@/generated/prisma/client';
import type { Role } from '@/generated/prisma/enums';
import { getDb } from '@/lib/db/client';
import { readSession, type TSessionData } from './session';

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
 * The user a session belongs to, or null when there is no session, the user
 * is gone or has been deactivated. Read on every request, so a role change
 * or a deactivation applies to the next click, not the next sign-in.
 */
export async function loadSessionUser(prisma: PrismaClient, session: TSessionData | null): Promise<TCurrentUser | null> {
  if (!session) return null;
  const user = await prisma.user.findUnique({
    where: { id: session.userId },
    select: { id: true, email: true, name: true, role: true, schoolId: true, isActive: true },
  });
  return user?.isActive ? user : null;
}

/**
 * THE way server code learns who is signed in: the session cookie, then the
 * user row. Null when nobody is (or may be) signed in; callers decide between
 * a redirect to /login and a 403. Memoised per request, so the header and the
 * page share one query. Throws when production lacks `SESSION_SECRET`.
 */
export const getCurrentUser = cache(async (): Promise<TCurrentUser | null> => {
  const session = await readSession(await cookies());
  if (!session) return null;
  const { prisma } = await getDb();
  return loadSessionUser(prisma, session);
});
