import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBackupTestbed } from '@/test/backup-testbed';
import { BackupError } from '../errors/errors';
import { acquireOperationLock } from '../lock/operation-lock';
import { createBackup, restoreBackup } from '../service';
import type { TBackupDeps } from '../service/deps';
import { exclusive } from '../service/exclusive';
import { BUSY_RETRY_MS, BUSY_WINDOW_MS, executeRun, MAX_ATTEMPTS } from './execute-run';
import { setPinned } from './pin';
import { planPrune, pruneLocked } from './prune';
import { runDue } from './run-due';
import { LEASE_MS, takeNextRun } from './run-queue';
import { addSchedule, ensureDefaultSchedule, listSchedules, removeSchedule, updateSchedule } from './schedule-store';
import { claimDueSlots } from './slot-claims';

const T0 = new Date('2027-01-11T08:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('backup schedules on a real database', () => {
  const bed = useBackupTestbed();
  const deps = () => bed.deps;
  const prisma = () => bed.db.prisma;

  async function clearSchedules() {
    await prisma().backupScheduleRun.deleteMany();
    await prisma().backup.updateMany({ data: { scheduleId: null } });
    await prisma().backupSchedule.deleteMany();
  }

  it('creates the default schedules once, in a database that never had one of their kind, and never brings one back', async () => {
    await clearSchedules();
    const created = await Promise.all([
      ensureDefaultSchedule(deps(), T0, 'Europe/London'),
      ensureDefaultSchedule(deps(), T0, 'Europe/London'),
    ]);
    expect(created.sort()).toEqual([0, 3]);
    const schedules = await listSchedules(deps(), T0);
    expect(schedules.map(({ kind, cron, timezone, enabled }) => ({ kind, cron, timezone, enabled }))).toEqual([
      { kind: 'BACKUP', cron: '0 2 * * *', timezone: 'Europe/London', enabled: true },
      { kind: 'DRILL', cron: '0 4 * * 0', timezone: 'Europe/London', enabled: true },
      { kind: 'SCRUB', cron: '0 5 * * 6', timezone: 'Europe/London', enabled: true },
    ]);
    const [nightly] = schedules;
    expect(nightly).toMatchObject({
      description: 'Every day at 02:00, Europe/London',
      retention: { keepDaily: 7, keepWeekly: 4, keepMonthly: 12 },
    });
    await removeSchedule(nightly?.id ?? '', deps(), T0);
    expect(await ensureDefaultSchedule(deps(), T0)).toBe(0);
    expect((await listSchedules(deps(), T0)).map((schedule) => schedule.kind)).toEqual(['DRILL', 'SCRUB']);
    // An install upgraded from before drills and scrubs gets the kinds it lacks, once.
    await prisma().backupScheduleRun.deleteMany();
    await prisma().backupSchedule.deleteMany({ where: { kind: { not: 'BACKUP' } } });
    expect(await ensureDefaultSchedule(deps(), T0)).toBe(2);
    await expect(addSchedule({ kind: 'SCRUB', cron: '0 1 * * *', retention: { keepLast: 3 } }, deps(), T0)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
  });

  it('refuses a malformed cron expression or an unknown timezone, saying which', async () => {
    await expect(addSchedule({ cron: '61 * * * *' }, deps(), T0)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('61'),
    });
    await expect(addSchedule({ cron: '0 2 * * *', timezone: 'Europe/Londn' }, deps(), T0)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('Europe/Londn'),
    });
    await expect(addSchedule({ cron: '0 0 2 * * *' }, deps(), T0)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('claims each due slot once however many runners ask at the same moment, and one catch-up run for missed slots', async () => {
    await clearSchedules();
    const schedule = await addSchedule({ cron: '0 * * * *', timezone: 'UTC' }, deps(), T0);
    expect(await claimDueSlots(deps(), at(30))).toEqual([]);
    // Three runners come back after a three-hour outage: 09:00, 10:00 and 11:00 passed.
    const claims = (await Promise.all([0, 1, 2].map(() => claimDueSlots(deps(), at(185))))).flat();
    expect(claims).toEqual([{ runId: expect.any(String), scheduleId: schedule.id, slot: at(180), missedSlots: 2 }]);
    expect(await prisma().backupScheduleRun.count({ where: { scheduleId: schedule.id } })).toBe(1);
    expect(await claimDueSlots(deps(), at(200))).toEqual([]);
    const [view] = await listSchedules(deps(), at(200));
    expect(view?.nextRunAt).toBe(at(240).toISOString());
  });

  it('runs a due slot as a SCHEDULED backup recording its schedule and slot, then applies its retention policy', async () => {
    await clearSchedules();
    const schedule = await addSchedule({ cron: '*/5 * * * *', timezone: 'UTC', retention: { keepLast: 1 } }, deps(), T0);
    const first = await runDue(deps(), { runnerId: 'runner-a', clock: () => at(6) });
    expect(first.claimed).toEqual([{ scheduleId: schedule.id, slot: at(5).toISOString(), missedSlots: 0 }]);
    expect(first.runs).toMatchObject([{ status: 'SUCCEEDED', slot: at(5).toISOString(), attempt: 1 }]);
    const backup = await prisma().backup.findUniqueOrThrow({ where: { id: first.runs[0]?.backupId ?? '' } });
    expect(backup).toMatchObject({ type: 'SCHEDULED', status: 'COMPLETED', scheduleId: schedule.id, scheduledFor: at(5) });
    const second = await runDue(deps(), { runnerId: 'runner-b', clock: () => at(11) });
    expect(second.runs).toMatchObject([{ status: 'SUCCEEDED', slot: at(10).toISOString() }]);
    // keepLast 1: the first scheduled backup was pruned after the second, its file removed.
    const pruned = await prisma().backup.findUniqueOrThrow({ where: { id: backup.id } });
    expect(pruned.status).toBe('DELETED');
    expect(fs.existsSync(path.join(deps().backupDir, backup.filename))).toBe(false);
    const [view] = await listSchedules(deps(), at(11));
    expect(view).toMatchObject({ lastStatus: 'SUCCEEDED', lastRunAt: at(10).toISOString(), lastBackupId: second.runs[0]?.backupId });
    const audit = await prisma().auditLog.findMany({ where: { action: 'backup.pruned', targetId: schedule.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]?.details).toMatchObject({ removed: [backup.id] });
  });

  it('waits while another operation holds the lock, then runs within the window; past the window it fails and says why', async () => {
    await clearSchedules();
    await addSchedule({ cron: '0 * * * *', timezone: 'UTC' }, deps(), T0);
    const [claim] = await claimDueSlots(deps(), at(61));
    const run = await prisma().backupScheduleRun.update({ where: { id: claim?.runId ?? '' }, data: { createdAt: at(61) } });
    const held = await acquireOperationLock(bed.db.database);
    try {
      const taken = await takeNextRun(deps(), 'runner-a', at(61));
      const waiting = await executeRun(taken ?? run, deps(), { runnerId: 'runner-a', clock: () => at(61) });
      expect(waiting.status).toBe('WAITING');
      const row = await prisma().backupScheduleRun.findUniqueOrThrow({ where: { id: run.id } });
      expect(row).toMatchObject({ status: 'PENDING', attempts: 0, notBefore: new Date(at(61).getTime() + BUSY_RETRY_MS) });
      expect(await takeNextRun(deps(), 'runner-a', at(61))).toBeNull();
      // Still busy after the whole window: reported, not lost silently.
      const late = new Date(at(61).getTime() + BUSY_WINDOW_MS + 1000);
      const retaken = await takeNextRun(deps(), 'runner-a', late);
      const failed = await executeRun(retaken ?? run, deps(), { runnerId: 'runner-a', clock: () => late });
      expect(failed).toMatchObject({ status: 'FAILED', error: expect.stringContaining('30-minute window') });
    } finally {
      await held.release();
    }
  });

  it('retries a failing scheduled backup with backoff, then reports it once', async () => {
    await clearSchedules();
    await addSchedule({ cron: '0 * * * *', timezone: 'UTC' }, deps(), T0);
    await claimDueSlots(deps(), at(61));
    // A BACKUP_DIR that is a file: every attempt fails before writing anything.
    const blocked = path.join(deps().backupDir, 'not-a-directory');
    fs.writeFileSync(blocked, 'x');
    const broken: TBackupDeps = { ...deps(), backupDir: blocked };
    const statuses: string[] = [];
    const reportedBefore = await prisma().auditLog.count({ where: { action: 'backup.schedule.failed' } });
    let now = at(61);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const run = await takeNextRun(broken, 'runner-a', now);
      expect(run?.attempts).toBe(attempt);
      const outcome = await executeRun(run ?? (undefined as never), broken, { runnerId: 'runner-a', clock: () => now });
      statuses.push(outcome.status);
      const row = await prisma().backupScheduleRun.findFirstOrThrow({ where: { id: run?.id } });
      if (outcome.status === 'RETRYING') expect(row.notBefore.getTime()).toBeGreaterThan(now.getTime());
      now = new Date(row.notBefore.getTime() + 1000);
    }
    expect(statuses).toEqual(['RETRYING', 'RETRYING', 'RETRYING', 'FAILED']);
    expect(await takeNextRun(broken, 'runner-a', at(10_000))).toBeNull();
    expect(await prisma().auditLog.count({ where: { action: 'backup.schedule.failed' } })).toBe(reportedBefore + 1);
  });

  it('takes over a run whose runner died (its claim expired), never one still claimed', async () => {
    await clearSchedules();
    await addSchedule({ cron: '0 * * * *', timezone: 'UTC' }, deps(), T0);
    await claimDueSlots(deps(), at(61));
    const first = await takeNextRun(deps(), 'dead-runner', at(61));
    expect(first?.status).toBe('RUNNING');
    expect(await takeNextRun(deps(), 'runner-b', at(62))).toBeNull();
    const afterExpiry = new Date(at(61).getTime() + LEASE_MS + 1000);
    const takenOver = await takeNextRun(deps(), 'runner-b', afterExpiry);
    expect(takenOver).toMatchObject({ id: first?.id, leaseOwner: 'runner-b', attempts: 2 });
  });

  it('a new timing or enabling again owes nothing for the past', async () => {
    await clearSchedules();
    const schedule = await addSchedule({ cron: '0 * * * *', timezone: 'UTC', enabled: false }, deps(), T0);
    expect(await claimDueSlots(deps(), at(300))).toEqual([]);
    await updateSchedule(schedule.id, { enabled: true }, deps(), at(300));
    expect(await claimDueSlots(deps(), at(330))).toEqual([]);
    expect(await claimDueSlots(deps(), at(365))).toMatchObject([{ slot: at(360), missedSlots: 0 }]);
  });

  it('prunes by policy: dry run first, pinned and newest kept, one audit row, an empty policy refused', async () => {
    await clearSchedules();
    await prisma().backup.updateMany({ where: { status: 'COMPLETED' }, data: { status: 'DELETED' } });
    // Four manual backups made a day apart (their dates moved back: retention reads createdAt).
    const rows = [];
    for (let day = 0; day < 4; day++) {
      const summary = await createBackup({}, deps());
      rows.push(
        await prisma().backup.update({ where: { id: summary.id }, data: { createdAt: new Date(Date.UTC(2027, 0, 10 + day, 12)) } }),
      );
    }
    const [oldest, second, third, newest] = rows;
    await setPinned(oldest?.id ?? '', true, deps());
    const now = new Date(Date.UTC(2027, 0, 14, 12));
    await expect(planPrune({ policy: {} }, deps(), now)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const dry = await planPrune({ policy: { keepDaily: 1 }, timezone: 'UTC' }, deps(), now);
    expect(dry.plan.remove.map((backup) => backup.id).sort()).toEqual([second?.id, third?.id].sort());
    expect(dry.plan.keep.find((backup) => backup.id === oldest?.id)?.reasons).toContain('pinned');
    expect(dry.plan.keep.find((backup) => backup.id === newest?.id)?.reasons).toEqual(expect.arrayContaining(['daily 2027-01-13']));
    // Nothing changed by the plan.
    expect(await prisma().backup.count({ where: { status: 'COMPLETED', id: { in: rows.map((row) => row.id) } } })).toBe(4);
    const applied = await exclusive(deps(), (lock) => pruneLocked({ policy: { keepDaily: 1 }, timezone: 'UTC' }, deps(), lock, now));
    expect([...applied.removed].sort()).toEqual([second?.id, third?.id].sort());
    for (const row of [second, third]) expect(fs.existsSync(path.join(deps().backupDir, row?.filename ?? ''))).toBe(false);
    expect(fs.existsSync(path.join(deps().backupDir, oldest?.filename ?? ''))).toBe(true);
    const audit = await prisma().auditLog.findMany({ where: { action: 'backup.pruned' }, orderBy: { id: 'desc' }, take: 1 });
    expect(audit[0]?.details).toMatchObject({ removed: applied.removed });
  });

  it('a restore leaves schedules, their runs and pins as they are now (they are history, not data)', async () => {
    await clearSchedules();
    const schedule = await addSchedule({ cron: '0 3 * * *', timezone: 'UTC', retention: { keepDaily: 3 } }, deps(), T0);
    const backup = await createBackup({}, deps());
    await updateSchedule(schedule.id, { cron: '0 4 * * *', enabled: false }, deps(), T0);
    await setPinned(backup.id, true, deps());
    await restoreBackup(backup.id, { confirm: true, safetyBackup: false }, deps());
    const [after] = await listSchedules(deps(), T0);
    expect(after).toMatchObject({ id: schedule.id, cron: '0 4 * * *', enabled: false });
    expect((await prisma().backup.findUniqueOrThrow({ where: { id: backup.id } })).pinned).toBe(true);
  });

  it('a runner stopped mid-backup (SIGTERM) leaves the backup FAILED with no temporary file, and the slot queued for the next runner', async () => {
    await clearSchedules();
    await addSchedule({ cron: '0 * * * *', timezone: 'UTC' }, deps(), T0);
    await claimDueSlots(deps(), at(61));
    const run = await takeNextRun(deps(), 'runner-a', at(61));
    // What a stop request does at the backup's next checkpoint (process/interrupt.ts), here on the first page of rows.
    const stopping: TBackupDeps = {
      ...deps(),
      onProgress: (progress) => {
        if (progress.phase === 'exporting' && progress.rowsDone > 0)
          throw new BackupError('INTERRUPTED', 'Interrupted: stopped by SIGTERM');
      },
    };
    const stopped = await executeRun(run ?? (undefined as never), stopping, { runnerId: 'runner-a', clock: () => at(61) });
    expect(stopped.status).toBe('STOPPED');
    const backup = await prisma().backup.findFirstOrThrow({ where: { scheduledFor: at(60) }, orderBy: { createdAt: 'desc' } });
    expect(backup).toMatchObject({ status: 'FAILED', type: 'SCHEDULED' });
    expect(fs.readdirSync(deps().backupDir).filter((name) => name.startsWith('.tmp-'))).toEqual([]);
    expect(await prisma().backupScheduleRun.findUniqueOrThrow({ where: { id: run?.id } })).toMatchObject({
      status: 'PENDING',
      attempts: 0,
      leaseOwner: null,
    });
    const next = await takeNextRun(deps(), 'runner-b', at(61));
    const finished = await executeRun(next ?? (undefined as never), deps(), { runnerId: 'runner-b', clock: () => at(61) });
    expect(finished).toMatchObject({ status: 'SUCCEEDED', slot: at(60).toISOString() });
  });

  it('a drill schedule drills the newest backup and a scrub schedule checks every copy; a finding fails the run without retries', async () => {
    await clearSchedules();
    // Earlier tests moved some backups' dates into 2027: out of the way, so this one is the newest.
    await prisma().backup.updateMany({ where: { status: 'COMPLETED' }, data: { status: 'DELETED' } });
    const newest = await createBackup({}, deps());
    const drill = await addSchedule({ kind: 'DRILL', cron: '0 4 * * 0', timezone: 'UTC' }, deps(), T0);
    const scrub = await addSchedule({ kind: 'SCRUB', cron: '0 5 * * 6', timezone: 'UTC' }, deps(), T0);
    // T0 is a Monday: by the next Monday both have had a slot.
    const week = at(7 * 24 * 60);
    const pass = await runDue(deps(), { runnerId: 'runner-a', clock: () => week });
    expect(
      pass.runs
        .map(({ scheduleId, status, backupId }) => ({ scheduleId, status, backupId }))
        .sort((a, b) => a.scheduleId.localeCompare(b.scheduleId)),
    ).toEqual(
      [
        { scheduleId: drill.id, status: 'SUCCEEDED', backupId: newest.id },
        { scheduleId: scrub.id, status: 'SUCCEEDED', backupId: null },
      ].sort((a, b) => a.scheduleId.localeCompare(b.scheduleId)),
    );
    expect(await prisma().backup.findUniqueOrThrow({ where: { id: newest.id } })).toMatchObject({ lastDrillStatus: 'OK' });
    // No backup was made by either, so no retention or heartbeat ran for them.
    expect(await prisma().backup.count({ where: { scheduleId: { in: [drill.id, scrub.id] } } })).toBe(0);

    // A local copy gone with no off-site copy: damage the scrub cannot repair, a finding.
    fs.rmSync(path.join(deps().backupDir, newest.filename));
    const nextWeek = at(14 * 24 * 60);
    const second = await runDue(deps(), { runnerId: 'runner-a', clock: () => nextWeek });
    const scrubRun = second.runs.find((run) => run.scheduleId === scrub.id);
    expect(scrubRun).toMatchObject({ status: 'FAILED', attempt: 1, error: expect.stringContaining(newest.id) });
    expect(await takeNextRun(deps(), 'runner-a', new Date(nextWeek.getTime() + 24 * 3_600_000))).toBeNull();
  });
});
