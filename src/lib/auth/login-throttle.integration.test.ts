import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '@/lib/db/client';
import { createTestDb, type TTestDb, testEngine } from '@/test/test-db';
import { LOGIN_FAILED_MESSAGE, signIn } from './login';
import { LOGIN_THROTTLE_POLICY, loginThrottleFor, throttledMessage } from './login-throttle';
import { hashPassword } from './password';

const PASSWORD = 'correct horse battery';
const WRONG = 'wrong password';
const BLOCKED_15 = 'Too many sign-in attempts. Try again in 15 minutes.';

/** Each test signs in from its own address, so the per-address counts do not mix. */
const from = (ipAddress: string | null) => ({ ipAddress, userAgent: 'vitest' });

describe('sign-in throttle', () => {
  let db: TTestDb;

  beforeAll(async () => {
    db = await createTestDb();
    const passwordHash = await hashPassword(PASSWORD);
    await db.prisma.user.createMany({
      data: ['head', 'bursar', 'teacher', 'clerk', 'nurse'].map((name) => ({
        email: `${name}@school.test`,
        name,
        role: 'ADMIN' as const,
        passwordHash,
      })),
    });
  });
  afterAll(async () => {
    await db.close();
  });

  const loginRows = (email: string) =>
    db.prisma.auditLog.findMany({ where: { action: 'auth.login', actorEmail: email }, orderBy: { id: 'asc' } });

  it('says how many minutes to wait, rounded up', () => {
    expect(throttledMessage(15 * 60_000)).toBe(BLOCKED_15);
    expect(throttledMessage(14 * 60_000 + 1)).toBe(BLOCKED_15);
    expect(throttledMessage(30_000)).toBe('Too many sign-in attempts. Try again in 1 minute.');
    expect(throttledMessage(0)).toBe('Too many sign-in attempts. Try again in 1 minute.');
  });

  it('refuses the right password after 50 wrong ones: 5 checked, then blocked for 15 minutes, one audit row per check', async () => {
    const request = from('198.51.100.1');
    const messages: string[] = [];
    for (let i = 0; i < 50; i++) {
      const result = await signIn(db.prisma, { email: 'head@school.test', password: WRONG }, request);
      messages.push(result.ok ? 'signed in' : result.message);
    }
    expect(messages.slice(0, 4)).toEqual(Array(4).fill(LOGIN_FAILED_MESSAGE));
    // The 5th failure already says so; later attempts are refused before any password check.
    expect(messages.slice(4)).toEqual(Array(46).fill(BLOCKED_15));
    expect(await signIn(db.prisma, { email: 'head@school.test', password: PASSWORD }, request)).toEqual({
      ok: false,
      message: BLOCKED_15,
    });

    const rows = await loginRows('head@school.test');
    expect(rows.map((row) => row.details)).toEqual([
      ...Array(4).fill({ reason: 'wrong-password' }),
      { reason: 'wrong-password', throttled: 'account', retryAfterSeconds: 900 },
    ]);
    expect(rows.every((row) => row.outcome === 'FAILURE' && row.ipAddress === '198.51.100.1')).toBe(true);
    expect(await db.prisma.session.count()).toBe(0);
  });

  it('throttles an unknown address exactly like a real one, so the answers tell nothing', async () => {
    const request = from('198.51.100.2');
    const messages: string[] = [];
    for (let i = 0; i < 6; i++) {
      const result = await signIn(db.prisma, { email: 'nobody@school.test', password: WRONG }, request);
      messages.push(result.ok ? 'signed in' : result.message);
    }
    expect(messages).toEqual([...Array(4).fill(LOGIN_FAILED_MESSAGE), BLOCKED_15, BLOCKED_15]);
    expect((await loginRows('nobody@school.test')).at(-1)?.details).toEqual({
      reason: 'unknown-account',
      throttled: 'account',
      retryAfterSeconds: 900,
    });
  });

  it('starts the count again after a successful sign-in', async () => {
    const request = from('198.51.100.3');
    const attempt = (password: string) => signIn(db.prisma, { email: 'bursar@school.test', password }, request);
    for (let i = 0; i < 4; i++) expect(await attempt(WRONG)).toEqual({ ok: false, message: LOGIN_FAILED_MESSAGE });
    expect((await attempt(PASSWORD)).ok).toBe(true);
    for (let i = 0; i < 4; i++) expect(await attempt(WRONG)).toEqual({ ok: false, message: LOGIN_FAILED_MESSAGE });
    expect((await attempt(PASSWORD)).ok).toBe(true);
  });

  it('lets other accounts in from the same address until 50 failures, then refuses them for the rest of the hour', async () => {
    const request = from('198.51.100.4');
    // Over-long passwords fail without a password hash, which keeps this test fast; they count like any failure.
    const fail = (n: number) => signIn(db.prisma, { email: `guess${Math.floor(n / 5)}@school.test`, password: 'x'.repeat(1025) }, request);
    for (let n = 0; n < 45; n++) await fail(n);
    expect((await signIn(db.prisma, { email: 'teacher@school.test', password: PASSWORD }, request)).ok).toBe(true);
    for (let n = 45; n < 50; n++) await fail(n);
    const refused = await signIn(db.prisma, { email: 'clerk@school.test', password: PASSWORD }, request);
    expect(refused).toEqual({ ok: false, message: expect.stringMatching(/^Too many sign-in attempts\. Try again in (59|60) minutes\.$/) });
    expect((await loginRows('clerk@school.test')).map((row) => row.details)).toEqual([
      { reason: 'throttled', throttled: 'address', retryAfterSeconds: expect.any(Number) },
    ]);
    // Another address is not affected.
    expect((await signIn(db.prisma, { email: 'clerk@school.test', password: PASSWORD }, from('198.51.100.5'))).ok).toBe(true);
  });

  it('never shares one address count among clients whose address is unknown (one attacker would lock out everyone)', async () => {
    const addressRows = () => db.prisma.loginThrottle.count({ where: { key: { startsWith: 'login-address:' } } });
    const before = await addressRows();
    // Over-long passwords are refused without a hash, so the 55 attempts are quick; they count like any failure.
    for (let n = 0; n < 55; n++)
      await signIn(db.prisma, { email: `spray${Math.floor(n / 4)}@school.test`, password: 'x'.repeat(1025) }, from(null));
    expect(await addressRows()).toBe(before);
    // Only the per-account limit applies: another user behind the same unknown address still signs in.
    expect((await signIn(db.prisma, { email: 'teacher@school.test', password: PASSWORD }, from(null))).ok).toBe(true);
  });

  it('lifts a block when its time is up, or at once when an administrator clears it', async () => {
    const request = from('198.51.100.6');
    const attempt = (password: string) => signIn(db.prisma, { email: 'nurse@school.test', password }, request);
    for (let i = 0; i < 5; i++) await attempt(WRONG);
    expect(await attempt(PASSWORD)).toEqual({ ok: false, message: BLOCKED_15 });
    // Fifteen minutes pass.
    await db.prisma.loginThrottle.update({
      where: { key: 'login-account:nurse@school.test' },
      data: { expire: new Date(Date.now() - 1000) },
    });
    expect((await attempt(PASSWORD)).ok).toBe(true);

    for (let i = 0; i < 5; i++) await attempt(WRONG);
    expect(await attempt(PASSWORD)).toEqual({ ok: false, message: BLOCKED_15 });
    await loginThrottleFor(db.prisma).clear({ email: ' Nurse@School.test ' });
    expect((await attempt(PASSWORD)).ok).toBe(true);
  });

  it('checks no more than 5 passwords of a burst of 20 parallel attempts (atomic counting)', async () => {
    // On PostgreSQL the burst goes through two connection pools, as from two app instances.
    const other = testEngine() === 'postgres' ? await createDb(db.target) : db;
    try {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          signIn(i % 2 ? other.prisma : db.prisma, { email: 'burst@school.test', password: WRONG }, from('198.51.100.7')),
        ),
      );
      const messages = results.map((result) => (result.ok ? 'signed in' : result.message));
      expect(messages.filter((message) => message === LOGIN_FAILED_MESSAGE).length).toBeLessThanOrEqual(4);
      expect(messages.filter((message) => message === BLOCKED_15).length).toBeGreaterThanOrEqual(16);
      const checked = (await loginRows('burst@school.test')).filter((row) => (row.details as { reason: string }).reason !== 'throttled');
      expect(checked).toHaveLength(LOGIN_THROTTLE_POLICY.account.attempts);
    } finally {
      if (other !== db) await other.close();
    }
  });

  // Registered on PostgreSQL only, not skipped elsewhere: the embedded database is
  // only ever open in one process, so it has no second instance to share with.
  if (testEngine() === 'postgres') {
    it('shares blocks and unlocks between two database handles (two app instances)', async () => {
      const other = await createDb(db.target);
      try {
        const request = from('198.51.100.8');
        for (let i = 0; i < 5; i++) await signIn(db.prisma, { email: 'clerk@school.test', password: WRONG }, request);
        expect(await signIn(other.prisma, { email: 'clerk@school.test', password: PASSWORD }, request)).toEqual({
          ok: false,
          message: BLOCKED_15,
        });
        await loginThrottleFor(other.prisma).clear({ email: 'clerk@school.test' });
        expect((await signIn(db.prisma, { email: 'clerk@school.test', password: PASSWORD }, request)).ok).toBe(true);
      } finally {
        await other.close();
      }
    });
  }
});
