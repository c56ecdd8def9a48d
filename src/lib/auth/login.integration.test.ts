import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TTestDb } from '@/test/test-db';
import { loadSessionUser } from './current-user';
import { authenticate, LOGIN_FAILED_MESSAGE, LOGIN_INCOMPLETE_MESSAGE } from './login';
import { hashPassword } from './password';

const REQUEST = { ipAddress: '203.0.113.7', userAgent: 'vitest' };
const PASSWORD = 'correct horse battery';

describe('authenticate', () => {
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

  it('signs in with the right password, records lastLoginAt and a SUCCESS row naming the user', async () => {
    const before = Date.now();
    const result = await authenticate(db.prisma, { email: '  Head@School.TEST ', password: PASSWORD }, REQUEST);
    expect(result).toEqual({
      ok: true,
      user: { id: activeId, email: 'head@school.test', name: 'Ada Head', role: 'ADMIN', schoolId: null, isActive: true },
    });
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
    const result = await authenticate(db.prisma, { email, password }, REQUEST);
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
      expect(await authenticate(db.prisma, credentials, REQUEST)).toEqual({ ok: false, message: LOGIN_INCOMPLETE_MESSAGE });
    }
    expect(await auditRows()).toHaveLength(rowsBefore);
  });

  it('loads the session user fresh: a deactivation or role change applies to the next request', async () => {
    const session = { userId: activeId, issuedAt: Date.now() };
    expect(await loadSessionUser(db.prisma, session)).toMatchObject({ id: activeId, role: 'ADMIN' });
    await db.prisma.user.update({ where: { id: activeId }, data: { role: 'TEACHER' } });
    expect(await loadSessionUser(db.prisma, session)).toMatchObject({ id: activeId, role: 'TEACHER' });
    await db.prisma.user.update({ where: { id: activeId }, data: { isActive: false } });
    expect(await loadSessionUser(db.prisma, session)).toBeNull();
    expect(await loadSessionUser(db.prisma, { userId: 'no-such-user', issuedAt: Date.now() })).toBeNull();
    expect(await loadSessionUser(db.prisma, null)).toBeNull();
  });
});
