import 'server-only';
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '@/generated/prisma/client';
import type { Role } from '@/generated/prisma/enums';
import type { TRequestContext } from './request-context';
import { SESSION_TTL_SECONDS, type TSessionData } from './session';

/**
 * Sessions as the server keeps them: one `Session` row per signed-in
 * browser, shared by every instance through the database. The cookie holds
 * a random token; the row's id is the token's SHA-256, so a copy of the
 * table signs nobody in. A session is live while its row exists, is not
 * revoked, has not reached `expiresAt` (sign-in + 8 h, never extended), its
 * user is active and the user's password hash and role are still those it
 * was started with.
 */

/** Why a session ended before its time, as kept in `revokedReason`. */
export type TSessionEndReason = 'logout' | 'password-changed' | 'role-changed' | 'deactivated';

/** The part of a Prisma client (or transaction) the session rows need. */
export type TSessionDb = Pick<PrismaClient, 'session'>;

/** What a session's liveness depends on in the user row. */
export interface TStampedUser {
  id: string;
  role: Role;
  passwordHash: string;
  isActive: boolean;
}

/**
 * A digest of the user's password hash and role. Stored on the session at
 * sign-in and compared on every request, so a password or role change ends
 * every session of that user even when it is made outside
 * `changeUserAccess` (by SQL, by a restore of older user rows).
 */
export function credentialStamp(user: Pick<TStampedUser, 'role' | 'passwordHash'>): string {
  return createHash('sha256').update(`${user.role}\n${user.passwordHash}`).digest('base64url');
}

function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Records a new session for a user who has just proved their password, and
 * returns what the cookie must carry. Also deletes sessions past their end,
 * so the table holds at most 8 hours of sign-ins.
 */
export async function createSessionRecord(
  prisma: TSessionDb,
  user: Pick<TStampedUser, 'id' | 'role' | 'passwordHash'>,
  request: TRequestContext,
  now: number = Date.now(),
): Promise<TSessionData> {
  const token = randomBytes(32).toString('base64url');
  await prisma.session.deleteMany({ where: { expiresAt: { lte: new Date(now) } } });
  await prisma.session.create({
    data: {
      id: sessionIdOf(token),
      userId: user.id,
      credentialStamp: credentialStamp(user),
      createdAt: new Date(now),
      expiresAt: new Date(now + SESSION_TTL_SECONDS * 1000),
      ipAddress: request.ipAddress,
      userAgent: request.userAgent,
    },
  });
  return { token, userId: user.id, issuedAt: now };
}

/** The row of the cookie's session, live or not (null when there is none). */
export function findSessionRecord(prisma: TSessionDb, session: TSessionData) {
  return prisma.session.findUnique({ where: { id: sessionIdOf(session.token) } });
}

/** True when the session row may still act for this user at `now` (see the module comment). */
export function isSessionLive(
  record: { userId: string; revokedAt: Date | null; expiresAt: Date; credentialStamp: string },
  user: TStampedUser,
  now: number = Date.now(),
): boolean {
  return (
    record.userId === user.id &&
    record.revokedAt === null &&
    record.expiresAt.getTime() > now &&
    user.isActive &&
    record.credentialStamp === credentialStamp(user)
  );
}

/**
 * Ends the cookie's session (logout). Returns the user id when a live row
 * was ended, null when it had already ended or never existed.
 */
export async function revokeSession(
  prisma: TSessionDb,
  session: TSessionData,
  reason: TSessionEndReason,
  now: number = Date.now(),
): Promise<string | null> {
  const ended = await prisma.session.updateMany({
    where: { id: sessionIdOf(session.token), userId: session.userId, revokedAt: null },
    data: { revokedAt: new Date(now), revokedReason: reason },
  });
  return ended.count > 0 ? session.userId : null;
}

/**
 * Ends every session of a user at once, on every instance: the next request
 * of any of their browsers is signed out. Call it in the same transaction as
 * the change that demands it (see `changeUserAccess`). Returns how many
 * sessions were live.
 */
export async function revokeUserSessions(
  prisma: TSessionDb,
  userId: string,
  reason: TSessionEndReason,
  now: number = Date.now(),
): Promise<number> {
  const ended = await prisma.session.updateMany({
    where: { userId, revokedAt: null, expiresAt: { gt: new Date(now) } },
    data: { revokedAt: new Date(now), revokedReason: reason },
  });
  return ended.count;
}
