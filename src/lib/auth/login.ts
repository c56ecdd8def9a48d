import 'server-only';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '@/generated/prisma/client';
import { writeAudit } from '@/lib/audit/audit-log';
import type { TCurrentUser } from './current-user';
import { loginThrottleFor, type TThrottleBlock, throttledMessage } from './login-throttle';
import { hashPassword, verifyPassword } from './password';
import { auditContextFor, type TRequestContext } from './request-context';
import type { TSessionData } from './session';
import { createSessionRecord } from './session-store';

/** The one message for every refused sign-in, so it never tells which accounts exist or are disabled. */
export const LOGIN_FAILED_MESSAGE = 'Email or password is incorrect';

/** For an empty field: says nothing about any account. */
export const LOGIN_INCOMPLETE_MESSAGE = 'Enter your email and password';

export const LOGIN_AUDIT_ACTION = 'auth.login';

/** Why a sign-in was refused, as recorded in the audit log (never shown to the user). */
export type TLoginFailureReason = 'invalid-input' | 'unknown-account' | 'wrong-password' | 'inactive-account' | 'throttled';

/** A successful sign-in carries the new session, for the cookie. */
export type TSignInResult = { ok: true; user: TCurrentUser; session: TSessionData } | { ok: false; message: string };

const ZCredentials = z.object({
  // Stored addresses are lower case (the seed, and the unique index is case-sensitive).
  email: z.string().trim().min(1).max(254).toLowerCase(),
  // Not trimmed: spaces may be part of a password. Bounded so nobody makes the server hash megabytes.
  password: z.string().min(1).max(1024),
});

let dummyHash: Promise<string> | undefined;

/** A real hash at the current cost, of a password nobody knows, to verify against when the account does not exist. */
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return dummyHash;
}

async function refuse(
  prisma: PrismaClient,
  request: TRequestContext,
  attempt: { email: string; userId: string | null; reason: TLoginFailureReason; block?: TThrottleBlock | null },
): Promise<TSignInResult> {
  const { block } = attempt;
  const details = block
    ? { reason: attempt.reason, throttled: block.scope, retryAfterSeconds: Math.ceil(block.retryAfterMs / 1000) }
    : { reason: attempt.reason };
  await writeAudit(
    prisma,
    // Nobody is authenticated: the address is only what was typed, the account (if any) is the target.
    { ...auditContextFor(null, request), actorEmail: attempt.email },
    { action: LOGIN_AUDIT_ACTION, outcome: 'FAILURE', targetId: attempt.userId, details },
  );
  return { ok: false, message: block ? throttledMessage(block.retryAfterMs) : LOGIN_FAILED_MESSAGE };
}

/**
 * Signs a user in: checks the email and password, records the session
 * (`Session` row) and the attempt in the audit log (`auth.login`, SUCCESS or
 * FAILURE with a general reason, never the password).
 *
 * Throttled first (`login-throttle.ts`): an attempt over the account's or the
 * address's limit is refused with "Too many sign-in attempts. Try again in N
 * minutes." before any password is checked, and the failure that starts a
 * block already gets that message. The audit log has a row for every checked
 * attempt and one per block (`reason: 'throttled'`), not one per refusal
 * during a block, so refusals cannot flood it.
 *
 * Every other refusal returns the same message, and an unknown email still
 * costs one password hash and is throttled alike, so neither the answer nor
 * its timing tells whether an account exists. Inactive users are refused.
 * On success records `lastLoginAt` and returns the user and the session for
 * the cookie. Throws if the database (throttle, session or audit row) fails.
 */
export async function signIn(
  prisma: PrismaClient,
  credentials: { email: unknown; password: unknown },
  request: TRequestContext,
  now: number = Date.now(),
): Promise<TSignInResult> {
  const parsed = ZCredentials.safeParse(credentials);
  if (!parsed.success && parsed.error.issues.some((issue) => issue.code !== 'too_big')) {
    return { ok: false, message: LOGIN_INCOMPLETE_MESSAGE };
  }
  const email = parsed.success ? parsed.data.email : String(credentials.email).trim().slice(0, 254).toLowerCase();
  const attempt = { email, ipAddress: request.ipAddress };
  const throttle = loginThrottleFor(prisma);
  const admission = await throttle.admit(attempt);
  if (admission.refused) {
    if (!admission.refused.started) return { ok: false, message: throttledMessage(admission.refused.retryAfterMs) };
    return refuse(prisma, request, { email, userId: null, reason: 'throttled', block: admission.refused });
  }
  const failed = async (userId: string | null, reason: TLoginFailureReason) =>
    refuse(prisma, request, { email, userId, reason, block: await throttle.failed(attempt, admission.attemptInRow) });
  if (!parsed.success) return failed(null, 'invalid-input');

  const user = await prisma.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, schoolId: true, isActive: true, passwordHash: true },
  });
  const passwordMatches = await verifyPassword(parsed.data.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user) return failed(null, 'unknown-account');
  if (!passwordMatches) return failed(user.id, 'wrong-password');
  if (!user.isActive) return failed(user.id, 'inactive-account');

  await throttle.succeeded(attempt);
  const session = await createSessionRecord(prisma, user, request, now);
  const { passwordHash: _passwordHash, ...signedIn } = user;
  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date(now) } });
  await writeAudit(prisma, auditContextFor(signedIn, request), { action: LOGIN_AUDIT_ACTION, outcome: 'SUCCESS', targetId: user.id });
  return { ok: true, user: signedIn, session };
}
