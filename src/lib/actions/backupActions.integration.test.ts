import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ALL_ACTIVITY, toAuditQuery } from '@/app/admin/backups/_components/activity-query';
import type { Role } from '@/generated/prisma/enums';
import { DENIALS_PER_MINUTE } from '@/lib/audit/denials';
import type { TCurrentUser } from '@/lib/auth/current-user';
import { getDb } from '@/lib/db/client';
import { openAppTestEnvironment, type TAppTestEnvironment } from '@/test/app-environment';
import { insertEdgeValues } from '@/test/edge-values';

// Next's request scope (cookies, headers, the revalidation store) does not
// exist outside a Next server, so those three seams are replaced; everything
// behind them (access policy, validation, service, database, files) is real.
// The browser test (e2e/) covers the real session cookie.
const session = vi.hoisted(() => ({ user: null as TCurrentUser | null, ipAddress: '203.0.113.7' }));
vi.mock('@/lib/auth/current-user', () => ({ getCurrentUser: async () => session.user }));
vi.mock('@/lib/auth/request-context', async (importOriginal) => ({
  ...(await importOriginal<typeof import('@/lib/auth/request-context')>()),
  getRequestContext: async () => ({ ipAddress: session.ipAddress, userAgent: 'vitest' }),
}));
vi.mock('next/cache', () => ({ revalidatePath: () => {} }));

const actions = await import('./backupActions');
const { TOO_MANY_DENIALS } = await import('./admin-action');

const ROLES: Role[] = ['SUPER_ADMIN', 'ADMIN', 'TEACHER', 'STUDENT', 'PARENT', 'ACCOUNTANT', 'LIBRARIAN'];
const userWith = (role: Role): TCurrentUser => ({
  id: `user_${role}`,
  email: `${role.toLowerCase()}@demo.school`,
  name: role,
  role,
  schoolId: null,
  isActive: true,
});
const VALID_BUT_UNKNOWN_ID = 'cmwx3gdpg0000547dvc7iix2z';

/** Every action, called the way the dashboard calls it. */
const CALLS: Record<string, () => Promise<{ success: boolean; error?: string }>> = {
  create: () => actions.createBackupAction(),
  list: () => actions.listBackupsAction(),
  progress: () => actions.getBackupProgressAction(VALID_BUT_UNKNOWN_ID),
  verify: () => actions.verifyBackupAction(VALID_BUT_UNKNOWN_ID),
  restore: () => actions.restoreBackupAction(VALID_BUT_UNKNOWN_ID, 'x'),
  restorePlan: () => actions.planRestoreAction(VALID_BUT_UNKNOWN_ID),
  drill: () => actions.drillBackupAction(VALID_BUT_UNKNOWN_ID),
  delete: () => actions.deleteBackupAction(VALID_BUT_UNKNOWN_ID),
  audit: () => actions.listBackupAuditLogAction(),
  sync: () => actions.syncUploadsAction(),
  scrub: () => actions.scrubBackupsAction(),
  incidents: () => actions.listOpenIncidentsAction(),
};

async function waitForBackup(id: string) {
  for (let i = 0; i < 200; i++) {
    const progress = await actions.getBackupProgressAction(id);
    if (!progress.success) throw new Error(progress.error);
    if (progress.data.status !== 'RUNNING') return progress.data;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('backup did not finish');
}

describe('backup server actions', () => {
  let app: TAppTestEnvironment;

  beforeAll(async () => {
    app = await openAppTestEnvironment('erp-actions-');
    await insertEdgeValues((await getDb()).prisma);
  });

  afterAll(async () => {
    await app.close();
  });

  /** Refusals recorded so far: the sum of the aggregated rows' counts. */
  async function deniedEvents(where: { ipAddress?: string } = {}): Promise<number> {
    const { prisma } = await getDb();
    const sum = await prisma.auditLog.aggregate({ where: { outcome: 'DENIED', ...where }, _sum: { count: true } });
    return sum._sum.count ?? 0;
  }

  it.each(Object.keys(CALLS))('%s: refused without a session (Unauthorized), and the attempt is audited', async (name) => {
    session.user = null;
    const deniedBefore = await deniedEvents();
    expect(await CALLS[name]?.()).toEqual({ success: false, error: 'Unauthorized' });
    expect(await deniedEvents()).toBe(deniedBefore + 1);
  });

  for (const role of ROLES.filter((r) => r !== 'ADMIN' && r !== 'SUPER_ADMIN')) {
    it.each(Object.keys(CALLS))(`%s: refused for ${role} (Forbidden: admin access required) and audited with the actor`, async (name) => {
      session.user = userWith(role);
      expect(await CALLS[name]?.()).toEqual({ success: false, error: 'Forbidden: admin access required' });
      const { prisma } = await getDb();
      const last = await prisma.auditLog.findFirstOrThrow({ orderBy: { id: 'desc' } });
      expect(last).toMatchObject({ action: 'backup.access.denied', outcome: 'DENIED', actorId: `user_${role}`, ipAddress: '203.0.113.7' });
    });
  }

  it.each(['ADMIN', 'SUPER_ADMIN'] as Role[])('%s runs the whole cycle in a single-school database', async (role) => {
    session.user = userWith(role);
    const started = await actions.createBackupAction();
    if (!started.success) throw new Error(started.error);
    const done = await waitForBackup(started.data.id);
    expect(done).toMatchObject({ status: 'COMPLETED', percent: 100 });

    const list = await actions.listBackupsAction();
    const backup = list.success ? list.data.find((b) => b.id === started.data.id) : undefined;
    expect(backup?.status).toBe('COMPLETED');

    const verified = await actions.verifyBackupAction(started.data.id);
    expect(verified.success && verified.data.valid).toBe(true);
    const scrubbed = await actions.scrubBackupsAction();
    expect(scrubbed.success && scrubbed.data.backups.find((b) => b.id === started.data.id)).toMatchObject({ status: 'OK', local: 'ok' });

    const { prisma } = await getDb();
    await prisma.school.update({ where: { id: 'school_edge' }, data: { name: 'Renamed by mistake' } });
    const wrongName = await actions.restoreBackupAction(started.data.id, 'backup-something-else.enc');
    expect(wrongName).toEqual({ success: false, error: `To confirm the restore, type the backup's name exactly: ${backup?.filename}` });
    expect((await prisma.school.findUniqueOrThrow({ where: { id: 'school_edge' } })).name).toBe('Renamed by mistake');

    const restored = await actions.restoreBackupAction(started.data.id, backup?.filename ?? '');
    expect(restored.success).toBe(true);
    expect(restored.success && restored.recordsRestored).toBeGreaterThan(0);
    expect((await prisma.school.findUniqueOrThrow({ where: { id: 'school_edge' } })).name).toMatch(/^Escuela/);

    expect(await actions.deleteBackupAction(started.data.id)).toEqual({
      success: true,
      data: { id: started.data.id, fileExisted: true, cloudCopyExisted: null },
    });

    // The dialog promises the entry stays in the history: the list hides it, "Show deleted" finds it.
    const hidden = await actions.listBackupsAction();
    expect(hidden.success && hidden.data.some((backup) => backup.id === started.data.id)).toBe(false);
    const all = await actions.listBackupsAction({ includeDeleted: true });
    expect(all.success && all.data.find((backup) => backup.id === started.data.id)?.status).toBe('DELETED');

    const audit = await actions.listBackupAuditLogAction({ outcome: 'SUCCESS' });
    const actionsSeen = audit.success ? audit.data.entries.map((entry) => entry.action) : [];
    expect(actionsSeen).toEqual(expect.arrayContaining(['backup.created', 'backup.verified', 'backup.restored', 'backup.deleted']));
    expect(audit.success && audit.data.entries.find((entry) => entry.action === 'backup.restored')?.actorEmail).toBe(userWith(role).email);
  });

  it("takes snapshots through the create action (the dashboard's second button): listed as INCREMENTAL with new and reused chunks", async () => {
    session.user = userWith('ADMIN');
    const snapshot = async () => {
      const started = await actions.createBackupAction({ kind: 'INCREMENTAL' });
      if (!started.success) throw new Error(started.error);
      expect(await waitForBackup(started.data.id)).toMatchObject({ status: 'COMPLETED' });
      const list = await actions.listBackupsAction();
      const backup = list.success ? list.data.find((b) => b.id === started.data.id) : undefined;
      if (!backup) throw new Error('the snapshot is not listed');
      return backup;
    };
    const first = await snapshot();
    expect(first).toMatchObject({ kind: 'INCREMENTAL', type: 'MANUAL', status: 'COMPLETED' });
    expect(first.filename).toMatch(/\.manifest$/);
    expect(first.logicalBytes).toBeGreaterThan(0);
    expect((first.chunksNew ?? 0) + (first.chunksReused ?? 0)).toBeGreaterThan(0);
    // The data barely changed (a few audit rows): the second snapshot stores little and reuses the rest.
    const second = await snapshot();
    expect(second.chunksReused).toBeGreaterThan(0);
    expect(second.storedBytes).toBeLessThan(first.logicalBytes ?? 0);
    expect((await actions.verifyBackupAction(second.id)).success).toBe(true);

    // Without a kind the action still makes a full backup; a kind it does not know is refused, and the refusal audited.
    const full = await actions.createBackupAction();
    if (!full.success) throw new Error(full.error);
    await waitForBackup(full.data.id);
    const list = await actions.listBackupsAction();
    expect(list.success && list.data.find((b) => b.id === full.data.id)?.kind).toBe('FULL');
    const { prisma } = await getDb();
    const backupsBefore = await prisma.backup.count();
    const refused = await actions.createBackupAction({ kind: 'DIFFERENTIAL' } as never);
    expect(refused.success).toBe(false);
    expect(await prisma.backup.count()).toBe(backupsBefore);
    expect(await prisma.auditLog.findFirstOrThrow({ orderBy: { id: 'desc' } })).toMatchObject({
      action: 'backup.create.rejected',
      outcome: 'FAILURE',
    });
    expect(await actions.createBackupAction({ kind: 'INCREMENTAL', type: 'PRE_RESTORE' } as never)).toMatchObject({ success: false });
  });

  it('schedules snapshots: the schedule actions take and keep `backupKind`, and refuse it on a drill', async () => {
    session.user = userWith('ADMIN');
    const added = await actions.addScheduleAction({
      kind: 'BACKUP',
      backupKind: 'INCREMENTAL',
      cron: '0 * * * *',
      timezone: 'UTC',
      name: 'Hourly snapshots',
    });
    if (!added.success) throw new Error(added.error);
    expect(added.data).toMatchObject({ kind: 'BACKUP', backupKind: 'INCREMENTAL' });
    const changed = await actions.updateScheduleAction(added.data.id, { backupKind: 'FULL' });
    expect(changed.success && changed.data.backupKind).toBe('FULL');
    const listed = await actions.listSchedulesAction();
    expect(listed.success && listed.data.find((schedule) => schedule.id === added.data.id)?.backupKind).toBe('FULL');
    const drill = await actions.addScheduleAction({ kind: 'DRILL', backupKind: 'INCREMENTAL', cron: '0 4 * * 0', timezone: 'UTC' });
    expect(drill.success).toBe(false);
    expect(await actions.removeScheduleAction(added.data.id)).toMatchObject({ success: true });
  });

  /** Runs `body` with the app's clock stopped one second into a minute, so a flood cannot straddle two minutes. */
  async function withinOneMinute<T>(body: () => Promise<T>): Promise<T> {
    vi.useFakeTimers({ toFake: ['Date'], now: Math.floor(Date.now() / 60_000) * 60_000 + 1_000 });
    try {
      return await body();
    } finally {
      vi.useRealTimers();
    }
  }

  it('about 200 unauthenticated calls leave one counted row per action, throttle the source, and keep real events on the panel', async () => {
    session.user = userWith('SUPER_ADMIN');
    const started = await actions.createBackupAction();
    if (!started.success) throw new Error(started.error);
    await waitForBackup(started.data.id);

    session.user = null;
    session.ipAddress = '198.51.100.99';
    const names = Object.keys(CALLS);
    // 25 per action: about 200 calls in all, each action's row counting past the throttle.
    const perAction = 25;
    const total = perAction * names.length;
    const answers = await withinOneMinute(() =>
      Promise.all(Array.from({ length: total }, (_, index) => CALLS[names[index % names.length] as string]?.())),
    );
    session.ipAddress = '203.0.113.7';

    const { prisma } = await getDb();
    const rows = await prisma.auditLog.findMany({ where: { ipAddress: '198.51.100.99' } });
    expect(rows).toHaveLength(names.length);
    expect(rows.map((row) => row.count)).toEqual(names.map(() => perAction));
    for (const row of rows) {
      expect(row).toMatchObject({
        action: 'backup.access.denied',
        outcome: 'DENIED',
        actorId: null,
        details: { reason: 'UNAUTHENTICATED' },
      });
    }
    // Beyond the limit each source is told to slow down; its row only counts.
    const throttled = names.length * (perAction - DENIALS_PER_MINUTE);
    expect(answers.filter((answer) => answer?.error === TOO_MANY_DENIALS)).toHaveLength(throttled);
    expect(answers.filter((answer) => answer?.error === 'Unauthorized')).toHaveLength(total - throttled);

    // The same address signed in as an administrator is not slowed down, and sees the real event.
    session.user = userWith('SUPER_ADMIN');
    session.ipAddress = '198.51.100.99';
    const panel = await actions.listBackupAuditLogAction(toAuditQuery(ALL_ACTIVITY));
    session.ipAddress = '203.0.113.7';
    if (!panel.success) throw new Error(panel.error);
    expect(panel.data.entries.find((entry) => entry.action === 'backup.created' && entry.targetId === started.data.id)).toMatchObject({
      actorKind: 'user',
      actorEmail: 'super_admin@demo.school',
      count: 1,
    });
    const flood = panel.data.entries.filter((entry) => entry.ipAddress === '198.51.100.99');
    expect(flood).toHaveLength(names.length);
    expect(flood.every((entry) => entry.actorKind === 'anonymous' && entry.actorEmail === null && entry.count === 25)).toBe(true);
  });

  it('throttles a signed-in user refused too often, as a source of their own, and starts afresh the next minute', async () => {
    session.user = userWith('TEACHER');
    session.ipAddress = '198.51.100.100';
    const call = async () => {
      const result = await actions.listBackupsAction();
      return result.success ? 'allowed' : result.error;
    };
    const answers = await withinOneMinute(async () => {
      const errors: string[] = [];
      for (let i = 0; i < DENIALS_PER_MINUTE + 3; i++) errors.push(await call());
      return errors;
    });
    const nextMinute = await withinOneMinute(async () => {
      vi.setSystemTime(Date.now() + 60_000);
      return call();
    });
    session.ipAddress = '203.0.113.7';
    expect(answers).toEqual([...Array(DENIALS_PER_MINUTE).fill('Forbidden: admin access required'), ...Array(3).fill(TOO_MANY_DENIALS)]);
    expect(nextMinute).toBe('Forbidden: admin access required');
    const { prisma } = await getDb();
    const rows = await prisma.auditLog.findMany({ where: { ipAddress: '198.51.100.100' }, orderBy: { id: 'asc' } });
    expect(rows.map((row) => [row.actorId, row.details, row.count])).toEqual([
      ['user_TEACHER', { attempted: 'backup.list', reason: 'FORBIDDEN_ROLE' }, DENIALS_PER_MINUTE + 3],
      ['user_TEACHER', { attempted: 'backup.list', reason: 'FORBIDDEN_ROLE' }, 1],
    ]);
  });

  it('refuses a school ADMIN in a multi-school database, saying why, and lets the SUPER_ADMIN in', async () => {
    const { prisma } = await getDb();
    await prisma.school.create({ data: { id: 'school_second', code: 'SECOND', name: 'Second school', address: 'y' } });
    try {
      session.user = userWith('ADMIN');
      const refused = await actions.listBackupsAction();
      expect(refused.success).toBe(false);
      expect(!refused.success && refused.error).toMatch(/this database holds 2 schools.*only a super administrator/);
      session.user = userWith('SUPER_ADMIN');
      expect((await actions.listBackupsAction()).success).toBe(true);
    } finally {
      await prisma.school.delete({ where: { id: 'school_second' } });
    }
  });

  it.each([
    ['a path', '../../etc/passwd'],
    ['an empty id', ''],
    ['a file name', 'backup-20260101T000000Z-deadbeef.enc'],
    ['a 500-character id', 'c'.repeat(500)],
  ])('rejects %s as an id before touching anything', async (_, id) => {
    session.user = userWith('ADMIN');
    const { prisma } = await getDb();
    const backupsBefore = await prisma.backup.count();
    for (const call of [
      () => actions.verifyBackupAction(id),
      () => actions.deleteBackupAction(id),
      () => actions.restoreBackupAction(id, 'x'),
    ]) {
      expect(await call()).toEqual({ success: false, error: 'Invalid backup id' });
    }
    expect(await prisma.backup.count()).toBe(backupsBefore);
  });

  it('never leaks internals in errors', async () => {
    session.user = userWith('ADMIN');
    for (const result of await Promise.all([
      actions.verifyBackupAction(VALID_BUT_UNKNOWN_ID),
      actions.deleteBackupAction(VALID_BUT_UNKNOWN_ID),
    ])) {
      expect(result).toEqual({ success: false, error: `Backup ${VALID_BUT_UNKNOWN_ID} does not exist` });
    }
    const audit = await actions.listBackupAuditLogAction({ action: 'not valid!' } as never);
    expect(audit).toEqual({ success: false, error: 'Invalid action filter' });
  });
});
