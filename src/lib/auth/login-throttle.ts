import 'server-only';
import { RateLimiterPrisma, RateLimiterRes } from 'rate-limiter-flexible';
import type { PrismaClient } from '@/generated/prisma/client';

/**
 * Sign-in throttling per account and per client address, counted in the
 * database (`LoginThrottle`, through rate-limiter-flexible's Prisma store,
 * which works the same on PostgreSQL and PGlite) so every instance shares
 * the counts. An attempt is counted before its password is checked, with an
 * atomic increment (an `INSERT … ON CONFLICT DO UPDATE`), so even a burst of
 * parallel attempts gets no more password checks than the limit.
 */

export const LOGIN_THROTTLE_POLICY = {
  /**
   * Per email address, known or not (so the answer never tells which exist):
   * the 5th failed attempt in a row starts a 15-minute block. A successful
   * sign-in starts the count again; failures are forgotten an hour after
   * the first of them.
   */
  account: { attempts: 5, windowSeconds: 60 * 60, blockSeconds: 15 * 60 },
  /**
   * Per client address: 50 failed attempts per hour (every attempt counts
   * until it succeeds or is refused for its account's block, which give it
   * back). The 51st and later wait for the end of that hour. Only for a
   * known address (TRUSTED_PROXIES): one shared count for every unknown
   * client would let anyone lock the whole school out of sign-in.
   */
  address: { attempts: 50, windowSeconds: 60 * 60, blockSeconds: 0 },
} as const;

export type TThrottleScope = keyof typeof LOGIN_THROTTLE_POLICY;

/** A refused attempt. */
export interface TThrottleBlock {
  scope: TThrottleScope;
  retryAfterMs: number;
  /** True for the one attempt that started the block: the audit log gets a row per block, not per refusal. */
  started: boolean;
}

export interface TLoginAttempt {
  /** The address as typed, normalised (trimmed, lower case). */
  email: string;
  ipAddress: string | null;
}

/** What `admit` decided: refuse unchecked, or check the password as attempt number `attemptInRow` of the account. */
export type TAdmission = { refused: TThrottleBlock } | { refused: null; attemptInRow: number };

export interface TLoginThrottle {
  /** Counts an attempt before its password is checked (the address, then the account). */
  admit(attempt: TLoginAttempt): Promise<TAdmission>;
  /** After a failed check: starts the account's block when that was its last allowed attempt. */
  failed(attempt: TLoginAttempt, attemptInRow: number): Promise<TThrottleBlock | null>;
  /** After a successful sign-in: the account's count starts again, the address gets its attempt back. */
  succeeded(attempt: TLoginAttempt): Promise<void>;
  /** Lifts the block and forgets the count of an account and/or an address (an administrator's unlock). */
  clear(target: { email?: string; ipAddress?: string | null }): Promise<void>;
}

/** "Too many sign-in attempts. Try again in N minutes." (rounded up, at least 1). */
export function throttledMessage(retryAfterMs: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  return `Too many sign-in attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

function createLimiter(prisma: PrismaClient, scope: TThrottleScope): RateLimiterPrisma {
  const policy = LOGIN_THROTTLE_POLICY[scope];
  return new RateLimiterPrisma({
    storeClient: prisma,
    // The store calls `prisma[tableName]`: the client's delegate, not the table.
    tableName: 'loginThrottle',
    keyPrefix: `login-${scope}`,
    points: policy.attempts,
    duration: policy.windowSeconds,
    blockDuration: policy.blockSeconds,
  });
}

/** Consumes one attempt: the count so far, or the block when the limiter refuses it. Store failures throw. */
async function take(limiter: RateLimiterPrisma, scope: TThrottleScope, key: string): Promise<TThrottleBlock | number> {
  try {
    return (await limiter.consume(key)).consumedPoints;
  } catch (rejection) {
    // The library rejects with its result object when over the limit, with an Error when the database failed.
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    const { blockSeconds } = LOGIN_THROTTLE_POLICY[scope];
    return {
      scope,
      // A burst can find the count over the limit before the block is written: the block is what it waits for.
      retryAfterMs: blockSeconds > 0 ? Math.min(rejection.msBeforeNext, blockSeconds * 1000) : rejection.msBeforeNext,
      // Only the attempt that went over starts a block; later ones find it (the library blocks on that one).
      started: rejection.consumedPoints === LOGIN_THROTTLE_POLICY[scope].attempts + 1,
    };
  }
}

// One pair of limiters per client: each store runs its own timer that deletes expired rows.
const throttles = new WeakMap<PrismaClient, TLoginThrottle>();

/** The sign-in throttle over a database (one per Prisma client). */
export function loginThrottleFor(prisma: PrismaClient): TLoginThrottle {
  const existing = throttles.get(prisma);
  if (existing) return existing;
  const account = createLimiter(prisma, 'account');
  const address = createLimiter(prisma, 'address');
  const throttle: TLoginThrottle = {
    admit: async (attempt) => {
      // The address first: a blocked address does not also use up the accounts it tries.
      if (attempt.ipAddress !== null) {
        const byAddress = await take(address, 'address', attempt.ipAddress);
        if (typeof byAddress !== 'number') return { refused: byAddress };
      }
      const byAccount = await take(account, 'account', attempt.email);
      if (typeof byAccount === 'number') return { refused: null, attemptInRow: byAccount };
      // Retries against a blocked account check no password: they must not block everyone behind the same address.
      if (attempt.ipAddress !== null) await address.reward(attempt.ipAddress, 1);
      return { refused: byAccount };
    },
    failed: async (attempt, attemptInRow) => {
      const { attempts, blockSeconds } = LOGIN_THROTTLE_POLICY.account;
      if (attemptInRow < attempts) return null;
      await account.block(attempt.email, blockSeconds);
      return { scope: 'account', retryAfterMs: blockSeconds * 1000, started: true };
    },
    succeeded: async (attempt) => {
      await Promise.all([account.delete(attempt.email), attempt.ipAddress === null ? null : address.reward(attempt.ipAddress, 1)]);
    },
    clear: async (target) => {
      await Promise.all([
        target.email === undefined ? null : account.delete(target.email.trim().toLowerCase()),
        target.ipAddress == null ? null : address.delete(target.ipAddress),
      ]);
    },
  };
  throttles.set(prisma, throttle);
  return throttle;
}
