import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '@/test/test-db';
import { loadSessionUser } from './current-user';
import { LOGIN_FAILED_MESSAGE, LOGIN_INCOMPLETE_MESSAGE, signIn } from './login';
import { hashPassword } from './password';

const REQUEST = { ipAddress: '203.0.113.7', userAgent: 'vitest' };
const PASSWORD = 'correct horse battery';

describe('signIn', () => {
  let db: TTestDb;
  let activeId: string;
  let inactiveId: string;

  beforeAll(async () => {
    db = await createTestDb();
    const passwordHash = await hashPassword(PASSWORD);
    const active = await db.prisma.user.create({ data: { email: 'head@school.test', name: 'Ada Head', role: 'ADMIN', passwordHash } });
    const inactive = await db.prisma.user.create({
      data: { email: 'gone@school.test', name: 'Old Teacher', role: 'TEACHER', passwordHash, isActive: false },
    });
    activeId = active.id;
    inactiveId = inactive.id;
  });
  afterAll(async () => {
    await db.close();
  });

  async function auditRows() {
    return db.prisma.auditLog.findMany({ where: { action: 'auth.login' }, orderBy: { id: 'asc' } });
  }

  async function lastAudit() {
    const rows = await auditRows();
    return rows.at(-1);
  }

  it('signs in with the right password, records the session, lastLoginAt and a SUCCESS row naming the user', async () => {
    const before = Date.now();
    const result = await signIn(db.prisma, { email: '  Head@School.TEST ', password: PASSWORD }, REQUEST);
    expect(result).toEqual({
      ok: true,
      user: { id: activeId, email: 'head@school.test', name: 'Ada Head', role: 'ADMIN', schoolId: null, isActive: true },
      session: { token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), userId: activeId, issuedAt: expect.any(Number) },
    });
    if (!result.ok) throw new Error('refused');
    const [record] = await db.prisma.session.findMany({ where: { userId: activeId } });
    expect(record).toMatchObject({ revokedAt: null, ipAddress: '203.0.113.7', userAgent: 'vitest' });
    // Only the token's digest is stored: the table alone signs nobody in.
    expect(record?.id).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(record)).not.toContain(result.session.token);
    expect((record?.expiresAt.getTime() ?? 0) - result.session.issuedAt).toBe(8 * 60 * 60 * 1000);
    expect(await loadSessionUser(db.prisma, result.session)).toMatchObject({ id: activeId, role: 'ADMIN' });
    const row = await db.prisma.user.findUniqueOrThrow({ where: { id: activeId } });
    expect(row.lastLoginAt?.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await lastAudit()).toMatchObject({
      outcome: 'SUCCESS',
      actorId: activeId,
      actorEmail: 'head@school.test',
      targetId: activeId,
      ipAddress: '203.0.113.7',
      userAgent: 'vitest',
    });
  });

  it.each([
    { case: 'a wrong password', email: 'head@school.test', password: 'wrong password', target: () => activeId, reason: 'wrong-password' },
    { case: 'an unknown email', email: 'nobody@school.test', password: PASSWORD, target: () => null, reason: 'unknown-account' },
    { case: 'an inactive user', email: 'gone@school.test', password: PASSWORD, target: () => inactiveId, reason: 'inactive-account' },
    { case: 'an over-long password', email: 'head@school.test', password: 'x'.repeat(1025), target: () => null, reason: 'invalid-input' },
  ])('refuses $case with the generic message and a FAILURE row saying why', async ({ email, password, target, reason }) => {
    const result = await signIn(db.prisma, { email, password }, REQUEST);
    expect(result).toEqual({ ok: false, message: LOGIN_FAILED_MESSAGE });
    const row = await lastAudit();
    expect(row).toMatchObject({ outcome: 'FAILURE', actorId: null, actorEmail: email, targetId: target(), ipAddress: '203.0.113.7' });
    expect(row?.details).toEqual({ reason });
    expect(JSON.stringify({ ...row, id: String(row?.id) })).not.toContain(password);
  });

  it('asks for both fields when one is missing, without touching the audit log', async () => {
    const rowsBefore = (await auditRows()).length;
    for (const credentials of [
      { email: '', password: PASSWORD },
      { email: 'head@school.test', password: '' },
      { email: null, password: undefined },
    ]) {
      expect(await signIn(db.prisma, credentials, REQUEST)).toEqual({ ok: false, message: LOGIN_INCOMPLETE_MESSAGE });
    }
    expect(await auditRows()).toHaveLength(rowsBefore);
  });

  it('loads the session user fresh on every request: a name change shows, a role change or deactivation ends the session', async () => {
    await db.prisma.user.update({ where: { id: activeId }, data: { isActive: true, role: 'ADMIN' } });
    const signedIn = await signIn(db.prisma, { email: 'head@school.test', password: PASSWORD }, REQUEST);
    if (!signedIn.ok) throw new Error(signedIn.message);
    await db.prisma.user.update({ where: { id: activeId }, data: { name: 'Ada Headmistress' } });
    expect(await loadSessionUser(db.prisma, signedIn.session)).toMatchObject({ id: activeId, name: 'Ada Headmistress' });
    await db.prisma.user.update({ where: { id: activeId }, data: { role: 'TEACHER' } });
    expect(await loadSessionUser(db.prisma, signedIn.session)).toBeNull();

    const again = await signIn(db.prisma, { email: 'head@school.test', password: PASSWORD }, REQUEST);
    if (!again.ok) throw new Error(again.message);
    expect(await loadSessionUser(db.prisma, again.session)).toMatchObject({ role: 'TEACHER' });
    await db.prisma.user.update({ where: { id: activeId }, data: { isActive: false } });
    expect(await loadSessionUser(db.prisma, again.session)).toBeNull();
    expect(await loadSessionUser(db.prisma, { ...again.session, userId: 'no-such-user' })).toBeNull();
    expect(await loadSessionUser(db.prisma, null)).toBeNull();
  });
});
