import type { CookieStore } from 'iron-session';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { INITIAL_LOGIN_STATE } from '@/app/login/login-state';
import { createDb, getDb } from '@/lib/db/client';
import { openAppTestEnvironment, type TAppTestEnvironment } from '@/test/app-environment';
import { cookieJar } from '@/test/cookie-jar';
import { insertEdgeValues } from '@/test/edge-values';
import { type TTestDb, testEngine } from '@/test/test-db';
import { hashPassword } from './password';
import { readSession, SESSION_COOKIE_NAME, SESSION_TTL_SECONDS } from './session';

// Next's request scope (`cookies()`, `headers()`) exists only inside a Next
// server, so it is replaced by a cookie jar and the headers a browser would
// send. Everything behind it is real: the login Server Action, the logout
// Route Handler, getCurrentUser, the backup actions and the database.
const browser = vi.hoisted(() => ({ cookies: null as CookieStore | null }));
vi.mock('next/headers', () => ({
  cookies: async () => browser.cookies,
  headers: async () => new Headers({ 'user-agent': 'vitest', host: 'localhost' }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

const { loginAction } = await import('@/app/login/actions');
const { POST: logout } = await import('@/app/logout/route');
const actions = await import('@/lib/actions/backupActions');
const { loadSessionUser } = await import('./current-user');
const { changeUserAccess } = await import('./user-access');

const PASSWORD = 'correct horse battery';
const ADMIN = 'admin@school.test';
const DEPUTY = 'deputy@school.test';

/** Signs in through the real login action; returns the sealed cookie the browser got. */
async function signInAs(email: string, password = PASSWORD): Promise<string> {
  const jar = cookieJar();
  browser.cookies = jar.store;
  const form = new FormData();
  form.set('email', email);
  form.set('password', password);
  form.set('next', '/admin/backups');
  // A successful sign-in ends with Next's redirect, which is thrown.
  await expect(loginAction(INITIAL_LOGIN_STATE, form)).rejects.toMatchObject({ digest: expect.stringContaining('/admin/backups') });
  const cookie = jar.values.get(SESSION_COOKIE_NAME);
  if (!cookie) throw new Error('the login action set no session cookie');
  return cookie;
}

/** The next requests carry this cookie, as a replaying attacker would send it. */
function sendCookie(cookie: string) {
  const jar = cookieJar({ [SESSION_COOKIE_NAME]: cookie });
  browser.cookies = jar.store;
  return jar;
}

async function sessionOf(cookie: string) {
  const session = await readSession(cookieJar({ [SESSION_COOKIE_NAME]: cookie }).store);
  if (!session) throw new Error('the cookie does not unseal');
  return session;
}

async function expectSignedIn(cookie: string) {
  sendCookie(cookie);
  expect(await actions.listBackupsAction()).toMatchObject({ success: true });
}

async function expectRefused(cookie: string) {
  sendCookie(cookie);
  expect(await actions.listBackupsAction()).toEqual({ success: false, error: 'Unauthorized' });
  expect(await actions.createBackupAction()).toEqual({ success: false, error: 'Unauthorized' });
}

describe('server-side sessions: an ended session stays ended, whatever cookie is replayed', () => {
  let app: TAppTestEnvironment;

  beforeAll(async () => {
    app = await openAppTestEnvironment('erp-sessions-');
    const { prisma } = await getDb();
    await insertEdgeValues(prisma);
    const passwordHash = await hashPassword(PASSWORD);
    await prisma.user.createMany({
      data: [
        { email: ADMIN, name: 'Ada Admin', role: 'ADMIN', passwordHash },
        { email: DEPUTY, name: 'Dev Deputy', role: 'ADMIN', passwordHash },
      ],
    });
  });

  afterAll(async () => {
    await app.close();
  });

  beforeEach(async () => {
    // Each test starts from the same two active administrators with the same password.
    const { prisma } = await getDb();
    await prisma.user.updateMany({ data: { role: 'ADMIN', isActive: true } });
  });

  it('refuses a cookie replayed after logout: no list, no backup, and the logout is audited', async () => {
    const cookie = await signInAs(ADMIN);
    await expectSignedIn(cookie);

    const jar = sendCookie(cookie);
    const response = await logout(new Request('http://localhost/logout', { method: 'POST' }));
    expect(response.status).toBe(303);
    expect(jar.values.has(SESSION_COOKIE_NAME)).toBe(false);

    const { prisma } = await getDb();
    const backupsBefore = await prisma.backup.count();
    await expectRefused(cookie);
    expect(await prisma.backup.count()).toBe(backupsBefore);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: ADMIN } });
    expect(await prisma.session.findMany({ where: { userId: user.id } })).toEqual([
      expect.objectContaining({ revokedReason: 'logout', revokedAt: expect.any(Date) }),
    ]);
    expect(await prisma.auditLog.findFirst({ where: { action: 'auth.logout' } })).toMatchObject({
      outcome: 'SUCCESS',
      actorId: user.id,
      actorEmail: ADMIN,
    });
    // The replayed attempts were refused as nobody's.
    expect(await prisma.auditLog.findFirst({ where: { action: 'backup.access.denied' }, orderBy: { id: 'desc' } })).toMatchObject({
      actorId: null,
      outcome: 'DENIED',
    });

    // Logging out with the dead cookie again changes nothing and records nothing.
    sendCookie(cookie);
    expect((await logout(new Request('http://localhost/logout', { method: 'POST' }))).status).toBe(303);
    expect(await prisma.auditLog.count({ where: { action: 'auth.logout' } })).toBe(1);
  });

  it.each([
    { change: 'a password change', apply: { password: 'a brand new password' }, reason: 'password-changed' },
    { change: 'a role change', apply: { role: 'TEACHER' as const }, reason: 'role-changed' },
    { change: 'a deactivation', apply: { isActive: false }, reason: 'deactivated' },
  ])('ends every session of the user at $change (changeUserAccess)', async ({ apply, reason }) => {
    const first = await signInAs(DEPUTY);
    const second = await signInAs(DEPUTY);
    const { prisma } = await getDb();
    const user = await prisma.user.findUniqueOrThrow({ where: { email: DEPUTY } });
    expect(await changeUserAccess(prisma, user.id, apply)).toEqual({ sessionsEnded: 2 });
    await expectRefused(first);
    await expectRefused(second);
    const rows = await prisma.session.findMany({ where: { userId: user.id, revokedReason: reason } });
    expect(rows).toHaveLength(2);
    // Put back for the next case; the old sessions stay ended.
    await changeUserAccess(prisma, user.id, { password: PASSWORD, role: 'ADMIN', isActive: true });
    await expectRefused(first);
    const fresh = await signInAs(DEPUTY);
    await expectSignedIn(fresh);
    sendCookie(fresh);
    await logout(new Request('http://localhost/logout', { method: 'POST' }));
  });

  it('keeps the sessions when nothing that matters changes (the same role again)', async () => {
    const cookie = await signInAs(DEPUTY);
    const { prisma } = await getDb();
    const user = await prisma.user.findUniqueOrThrow({ where: { email: DEPUTY } });
    expect(await changeUserAccess(prisma, user.id, { role: 'ADMIN' })).toEqual({ sessionsEnded: 0 });
    await expectSignedIn(cookie);
    await expect(changeUserAccess(prisma, user.id, {})).rejects.toThrow('Nothing to change');
    await expect(changeUserAccess(prisma, user.id, { password: 'short' })).rejects.toThrow('at least 8 characters');
    await expect(changeUserAccess(prisma, 'no-such-user', { isActive: false })).rejects.toThrow('No user has the id no-such-user');
  });

  it('ends the sessions of a password or role changed outside changeUserAccess (plain SQL), by the credential stamp', async () => {
    const { prisma } = await getDb();
    const byPassword = await signInAs(DEPUTY);
    await prisma.$executeRawUnsafe(`UPDATE "User" SET "passwordHash" = $1 WHERE email = $2`, await hashPassword(PASSWORD), DEPUTY);
    await expectRefused(byPassword);

    const byRole = await signInAs(DEPUTY);
    await prisma.$executeRawUnsafe(`UPDATE "User" SET role = 'SUPER_ADMIN' WHERE email = $1`, DEPUTY);
    await expectRefused(byRole);
  });

  it('ends a session 8 hours after sign-in, however busy', async () => {
    const cookie = await signInAs(ADMIN);
    const session = await sessionOf(cookie);
    const { prisma } = await getDb();
    const end = session.issuedAt + SESSION_TTL_SECONDS * 1000;
    expect(await loadSessionUser(prisma, session, end - 1000)).toMatchObject({ email: ADMIN });
    expect(await loadSessionUser(prisma, session, end)).toBeNull();
  });

  it('does not bring an ended session back when a backup taken before the logout is restored', async () => {
    const restorer = await signInAs(ADMIN);
    const leaver = await signInAs(DEPUTY);
    sendCookie(restorer);
    const started = await actions.createBackupAction();
    if (!started.success) throw new Error(started.error);
    for (let done = false; !done; await new Promise((resolve) => setTimeout(resolve, 100))) {
      const progress = await actions.getBackupProgressAction(started.data.id);
      if (!progress.success) throw new Error(progress.error);
      done = progress.data.status !== 'RUNNING';
    }
    sendCookie(leaver);
    await logout(new Request('http://localhost/logout', { method: 'POST' }));

    sendCookie(restorer);
    const list = await actions.listBackupsAction();
    const backup = list.success ? list.data.find((b) => b.id === started.data.id) : undefined;
    expect(backup?.status).toBe('COMPLETED');
    const restored = await actions.restoreBackupAction(started.data.id, backup?.filename ?? '');
    expect(restored.success).toBe(true);

    await expectRefused(leaver);
    // The administrator who restored is still signed in.
    await expectSignedIn(restorer);
  });

  // Registered on PostgreSQL only, not skipped elsewhere: the embedded database is
  // only ever open in one process, so it has no second instance to see anything.
  if (testEngine() === 'postgres') {
    it('ends the session on another instance at once (a second connection pool on the same database)', async () => {
      const other = await createDb((app.postgres as TTestDb).target);
      try {
        const cookie = await signInAs(ADMIN);
        const session = await sessionOf(cookie);
        expect(await loadSessionUser(other.prisma, session)).toMatchObject({ email: ADMIN });
        sendCookie(cookie);
        await logout(new Request('http://localhost/logout', { method: 'POST' }));
        expect(await loadSessionUser(other.prisma, session)).toBeNull();

        // And the other way round: a deactivation made by the other instance ends this one's sessions.
        const again = await signInAs(ADMIN);
        await expectSignedIn(again);
        const user = await other.prisma.user.findUniqueOrThrow({ where: { email: ADMIN } });
        const live = await other.prisma.session.count({ where: { userId: user.id, revokedAt: null, expiresAt: { gt: new Date() } } });
        expect(live).toBeGreaterThan(0);
        expect(await changeUserAccess(other.prisma, user.id, { isActive: false })).toEqual({ sessionsEnded: live });
        await expectRefused(again);
      } finally {
        await other.close();
      }
    });
  }
});
