import { type CookieStore, getIronSession, type SessionOptions } from 'iron-session';
import { z } from 'zod';
import { loadEnv } from '@/lib/env';
import { resolveSessionSecret } from './session-secret';

/**
 * The login session cookie: sealed (encrypted and signed), holding the
 * session's random token, who signed in and when. The cookie alone proves
 * nothing: every request also looks the session up in the database
 * (`session-store.ts`), so a logout, a password or role change or a
 * deactivation ends it at once, and the user is read fresh. Functions take
 * the cookie store (Next's `await cookies()`) so this module knows nothing
 * of Next.
 */

export const SESSION_COOKIE_NAME = 'erp_session';

/** A school working day: a session ends 8 hours after sign-in, however busy. */
export const SESSION_TTL_SECONDS = 8 * 60 * 60;

// Sessions issued by a clock slightly ahead of ours (another instance) are still accepted.
const CLOCK_SKEW_MS = 60_000;

const ZSessionData = z.object({
  /** 32 random bytes, base64url; the database keeps only its SHA-256. */
  token: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  userId: z.string().min(1),
  /** Milliseconds since the epoch (iron-session v9 seals numbers, not Dates). */
  issuedAt: z.number().int().nonnegative(),
});

export type TSessionData = z.infer<typeof ZSessionData>;

export interface TSessionConfig {
  secret: string;
  /** Send the cookie over HTTPS only. */
  secure: boolean;
}

function logAuth(message: string): void {
  console.warn(`[auth] ${message}`);
}

const globalForSession = globalThis as unknown as { erpSessionConfig?: TSessionConfig };

/**
 * The session settings from the environment, resolved once per process. Kept
 * on `globalThis` because Next bundles pages, actions and route handlers
 * separately: each would otherwise resolve its own (in-memory) secret and
 * none could read the others' cookies. Throws with the reason when
 * production lacks `SESSION_SECRET`.
 */
export function getSessionConfig(): TSessionConfig {
  if (!globalForSession.erpSessionConfig) {
    const env = loadEnv();
    globalForSession.erpSessionConfig = {
      secret: resolveSessionSecret(env, { projectDir: process.cwd(), log: logAuth }),
      secure: env.NODE_ENV === 'production',
    };
  }
  return globalForSession.erpSessionConfig;
}

/** The iron-session options: httpOnly, SameSite=Lax, Secure in production, expiring after `SESSION_TTL_SECONDS`. */
export function sessionOptions(config: TSessionConfig): SessionOptions {
  return {
    cookieName: SESSION_COOKIE_NAME,
    password: config.secret,
    // The seal itself expires, so a copied cookie is useless after the TTL
    // whatever the browser does; the cookie's max-age follows (60 s shorter).
    ttl: SESSION_TTL_SECONDS,
    cookieOptions: { httpOnly: true, sameSite: 'lax', secure: config.secure, path: '/' },
    onUnsealError: (reason) => {
      // Expiry is how sessions normally end; anything else is a rotated secret or tampering.
      if (reason !== 'expired') logAuth(`Rejected a session cookie (${reason}).`);
    },
  };
}

/**
 * The session in the request's cookie, or null when there is none, it does
 * not unseal, has an unexpected shape or is older than the TTL. Never writes
 * a cookie, so it is safe in Server Components.
 */
export async function readSession(
  store: CookieStore,
  config: TSessionConfig = getSessionConfig(),
  now: number = Date.now(),
): Promise<TSessionData | null> {
  const session = await getIronSession<TSessionData>(store, sessionOptions(config));
  const parsed = ZSessionData.safeParse({ token: session.token, userId: session.userId, issuedAt: session.issuedAt });
  if (!parsed.success) return null;
  const age = now - parsed.data.issuedAt;
  return age < SESSION_TTL_SECONDS * 1000 && age > -CLOCK_SKEW_MS ? parsed.data : null;
}

/**
 * Writes the cookie of a session the database has just recorded
 * (`createSessionRecord`); Server Actions and Route Handlers only.
 */
export async function startSession(store: CookieStore, data: TSessionData, config: TSessionConfig = getSessionConfig()): Promise<void> {
  const session = await getIronSession<TSessionData>(store, sessionOptions(config));
  session.token = data.token;
  session.userId = data.userId;
  session.issuedAt = data.issuedAt;
  await session.save();
}

/** Clears the session cookie (Server Actions and Route Handlers only); ending the session itself is `revokeSession`'s job. */
export async function endSession(store: CookieStore, config: TSessionConfig = getSessionConfig()): Promise<void> {
  const session = await getIronSession<TSessionData>(store, sessionOptions(config));
  session.destroy();
}
