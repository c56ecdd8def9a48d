import 'server-only';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '@/generated/prisma/client';
import { writeAudit } from '@/lib/audit/audit-log';
import type { TCurrentUser } from './current-user';
import { hashPassword, verifyPassword } from './password';
import { auditContextFor, type TRequestContext } from './request-context';

/** The one message for every refused sign-in, so it never tells which accounts exist or are disabled. */
export const LOGIN_FAILED_MESSAGE = 'Email or password is incorrect';

/** For an empty field: says nothing about any account. */
export const LOGIN_INCOMPLETE_MESSAGE = 'Enter your email and password';

export const LOGIN_AUDIT_ACTION = 'auth.login';

/** Why a sign-in was refused, as recorded in the audit log (never shown to the user). */
export type TLoginFailureReason = 'invalid-input' | 'unknown-account' | 'wrong-password' | 'inactive-account';

export type TAuthResult = { ok: true; user: TCurrentUser } | { ok: false; message: string };

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
  attempt: { email: string | null; userId: string | null; reason: TLoginFailureReason },
): Promise<TAuthResult> {
  await writeAudit(
    prisma,
    // Nobody is authenticated: the address is only what was typed, the account (if any) is the target.
    { ...auditContextFor(null, request), actorEmail: attempt.email },
    { action: LOGIN_AUDIT_ACTION, outcome: 'FAILURE', targetId: attempt.userId, details: { reason: attempt.reason } },
  );
  return { ok: false, message: LOGIN_FAILED_MESSAGE };
}

/**
 * Checks an email and password and records the attempt in the audit log
 * (`auth.login`, SUCCESS or FAILURE with a general reason, never the
 * password). Every refusal returns the same message, and an unknown address
 * still costs one password hash, so neither the answer nor its timing tells
 * whether an account exists. Inactive users are refused. On success records
 * `lastLoginAt` and returns the user; starting the session is the caller's
 * job. Throws if the audit row cannot be written.
 */
export async function authenticate(
  prisma: PrismaClient,
  credentials: { email: unknown; password: unknown },
  request: TRequestContext,
): Promise<TAuthResult> {
  const parsed = ZCredentials.safeParse(credentials);
  if (!parsed.success) {
    const isIncomplete = parsed.error.issues.some((issue) => issue.code !== 'too_big');
    if (isIncomplete) return { ok: false, message: LOGIN_INCOMPLETE_MESSAGE };
    const typed = typeof credentials.email === 'string' ? credentials.email.trim().slice(0, 254) : null;
    return refuse(prisma, request, { email: typed, userId: null, reason: 'invalid-input' });
  }
  const { email, password } = parsed.data;
  const user = await prisma.user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, role: true, schoolId: true, isActive: true, passwordHash: true },
  });
  const passwordMatches = await verifyPassword(password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user) return refuse(prisma, request, { email, userId: null, reason: 'unknown-account' });
  if (!passwordMatches) return refuse(prisma, request, { email, userId: user.id, reason: 'wrong-password' });
  if (!user.isActive) return refuse(prisma, request, { email, userId: user.id, reason: 'inactive-account' });

  const { passwordHash: _passwordHash, ...signedIn } = user;
  await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
  await writeAudit(prisma, auditContextFor(signedIn, request), { action: LOGIN_AUDIT_ACTION, outcome: 'SUCCESS', targetId: user.id });
  return { ok: true, user: signedIn };
}
