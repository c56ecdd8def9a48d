import { describe, expect, it } from 'vitest';
import { exitWithin, waitUntil } from '@/test/cli-process';
import { useCliTestbed } from '@/test/cli-testbed';
import { testEngine } from '@/test/test-db';

const HOUR = 3_600_000;

/** The JSON result of a run that must have succeeded. */
function dataOf(run: { code: number | null; stdout: string; stderr: string }) {
  expect(run.code, run.stderr).toBe(0);
  const result = JSON.parse(run.stdout);
  expect(result.success, run.stdout).toBe(true);
  return result.data;
}

describe('erp-backup schedules, runners and retention', { timeout: 600_000 }, () => {
  const cli = useCliTestbed();

  it('adds and lists schedules, runs one catch-up backup for missed slots, prunes by policy, pins and removes, in the documented JSON shapes', async () => {
    const listed = dataOf(await cli.run('schedule', 'list', '--json'));
    // A fresh install is protected by default: a nightly backup, a weekly drill and a weekly scrub.
    expect(listed.map((schedule: { kind: string }) => schedule.kind)).toEqual(['BACKUP', 'DRILL', 'SCRUB']);
    expect(listed[0]).toEqual(
      expect.objectContaining({
        name: 'Nightly backup',
        cron: '0 2 * * *',
        enabled: true,
        retention: { keepDaily: 7, keepWeekly: 4, keepMonthly: 12 },
        nextRunAt: expect.any(String),
        lastRunAt: null,
        lastStatus: null,
        timezone: expect.any(String),
      }),
    );
    // Out of the way: this test controls which slots are due.
    await cli.withDb((db) => db.prisma.backupSchedule.updateMany({ data: { enabled: false } }));

    const bad = await cli.run('schedule', 'add', '--cron', '0 25 * * *', '--json');
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ success: false, error: expect.stringContaining('25') });
    expect((await cli.run('schedule', 'add', '--cron', '0 * * * *', '--keep-last', 'two')).code).toBe(2);
    expect((await cli.run('schedule', 'add', '--cron', '0 * * * *', '--kind', 'vacuum')).code).toBe(2);

    const added = dataOf(await cli.run('schedule', 'add', '--cron', '0 * * * *', '--timezone', 'UTC', '--keep-last', '1', '--json'));
    expect(added).toEqual({ id: expect.stringMatching(/^c/), nextRunAt: expect.any(String) });
    expect(new Date(added.nextRunAt).getUTCMinutes()).toBe(0);

    // Nothing ran since just after the top of the hour three hours ago: the next three hourly slots (and a
    // fourth, should the clock pass the hour while this runs) are due, and one run stands for them all.
    const firstMissed = Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR;
    const since = new Date(firstMissed - HOUR + 60_000);
    await cli.withDb((db) => db.prisma.backupSchedule.update({ where: { id: added.id }, data: { lastSlotAt: since } }));
    const due = dataOf(await cli.run('run-due', '--json'));
    expect(due.claimed).toEqual([{ scheduleId: added.id, slot: expect.any(String), missedSlots: expect.any(Number) }]);
    const { slot, missedSlots } = due.claimed[0];
    // Every hourly slot from the first missed one up to the one that ran, that one excepted.
    expect(missedSlots).toBe((Date.parse(slot) - firstMissed) / HOUR);
    expect(missedSlots).toBeGreaterThanOrEqual(2);
    expect(due.runs).toEqual([
      expect.objectContaining({ scheduleId: added.id, slot, status: 'SUCCEEDED', missedSlots, backupId: expect.any(String) }),
    ]);

    const backup = await cli.withDb((db) => db.prisma.backup.findUniqueOrThrow({ where: { id: due.runs[0].backupId } }));
    expect(backup).toMatchObject({ type: 'SCHEDULED', status: 'COMPLETED', scheduleId: added.id });
    expect(backup.scheduledFor?.toISOString()).toBe(due.runs[0].slot);
    // The same slot never runs twice; only a new hour (should the clock just have passed one) can be due.
    const again = dataOf(await cli.run('run-due', '--json'));
    expect(again.claimed.every((claim: { slot: string; missedSlots: number }) => claim.slot > slot && claim.missedSlots === 0)).toBe(true);

    // Manual backups: a dry run says what a policy would do, and changes nothing.
    const first = dataOf(await cli.run('create', '--json'));
    const second = dataOf(await cli.run('create', '--json'));
    const dry = dataOf(await cli.run('prune', '--keep-last', '1', '--dry-run', '--json'));
    expect(dry.keep).toEqual([{ id: second.id, createdAt: second.createdAt, reasons: expect.arrayContaining(['last']) }]);
    expect(dry.remove).toEqual([{ id: first.id, createdAt: first.createdAt }]);
    expect(cli.backupFiles()).toContain(first.filename);

    expect(dataOf(await cli.run('pin', first.id, '--json'))).toMatchObject({ id: first.id, pinned: true });
    const pinnedPlan = dataOf(await cli.run('prune', '--keep-last', '1', '--json'));
    expect(pinnedPlan.remove).toEqual([]);
    expect(pinnedPlan.keep.find((kept: { id: string }) => kept.id === first.id).reasons).toContain('pinned');
    expect(dataOf(await cli.run('unpin', first.id, '--json'))).toMatchObject({ pinned: false });
    const pruned = dataOf(await cli.run('prune', '--keep-last', '1', '--json'));
    expect(pruned.removed).toEqual([first.id]);
    expect(cli.backupFiles()).not.toContain(first.filename);

    expect((await cli.run('prune', '--json')).code).toBe(2);
    expect((await cli.run('schedule', 'remove', added.id)).code).toBe(2);
    expect(dataOf(await cli.run('schedule', 'remove', added.id, '--yes', '--json'))).toEqual({ id: added.id });
    const after = dataOf(await cli.run('schedule', 'list', '--json'));
    expect(after.map((schedule: { id: string }) => schedule.id)).not.toContain(added.id);
  });

  // Real processes and real minutes: only PostgreSQL lets several runners share a database
  // (the embedded one is held by one process, which is then simply the runner).
  if (testEngine() === 'postgres') {
    it('three schedulers on an every-minute schedule make one backup per slot; stopped for minutes, one comes back with one catch-up backup', async () => {
      await cli.withDb((db) => db.prisma.backupSchedule.updateMany({ data: { enabled: false } }));
      const { id } = dataOf(await cli.run('schedule', 'add', '--cron', '* * * * *', '--timezone', 'UTC', '--json'));
      const runsOf = () =>
        cli.withDb((db) => db.prisma.backupScheduleRun.findMany({ where: { scheduleId: id }, orderBy: { slot: 'asc' } }));
      const backupsOf = () => cli.withDb((db) => db.prisma.backup.findMany({ where: { scheduleId: id } }));

      const runners = [cli.start('scheduler'), cli.start('scheduler'), cli.start('scheduler')];
      await waitUntil(
        'two slots run to the end',
        async () => (await runsOf()).filter((run) => run.status === 'SUCCEEDED').length >= 2,
        240_000,
      );
      for (const runner of runners) runner.child.kill('SIGTERM');
      for (const runner of runners) {
        const exited = await exitWithin(runner, 60_000);
        expect(exited.code, exited.stderr).toBe(0);
      }
      const runs = await runsOf();
      const backups = await backupsOf();
      // Exactly once: one run per slot, one backup per run, whichever runner took it.
      expect(new Set(runs.map((run) => run.slot.toISOString())).size).toBe(runs.length);
      const completed = backups.filter((backup) => backup.status === 'COMPLETED');
      expect(new Set(completed.map((backup) => backup.scheduledFor?.toISOString())).size).toBe(completed.length);
      expect(completed.length).toBeGreaterThanOrEqual(2);
      expect(runs.every((run) => run.missedSlots === 0)).toBe(true);

      // Down for two slot boundaries and a bit: then one runner catches up once.
      const lastSlot = runs.at(-1)?.slot.getTime() ?? Date.now();
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, lastSlot + 2 * 60_000 + 5_000 - Date.now())));
      const before = runs.length;
      const back = cli.start('scheduler');
      await waitUntil('the catch-up run', async () => (await runsOf()).slice(before).some((run) => run.status === 'SUCCEEDED'), 120_000);
      back.child.kill('SIGTERM');
      expect((await exitWithin(back, 60_000)).code).toBe(0);
      const catchUp = (await runsOf()).slice(before);
      expect(catchUp[0]?.missedSlots).toBeGreaterThanOrEqual(1);
      expect(catchUp.filter((run) => run.missedSlots > 0)).toHaveLength(1);
    });
  }
});
