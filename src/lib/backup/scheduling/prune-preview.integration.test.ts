import { describe, expect, it } from 'vitest';
import { pruneBackups } from '@/lib/backup/service';
import { useBackupTestbed } from '@/test/backup-testbed';
import { ZPruneInput } from './schedule-inputs';
import { addSchedule } from './schedule-store';

const NOW = new Date('2026-11-27T12:00:00Z');

describe("previewing an edited policy on a schedule's backups (the dashboard's retention editor)", () => {
  const bed = useBackupTestbed();

  async function scheduledBackups(scheduleId: string, days: number[]) {
    for (const day of days) {
      const at = new Date(Date.UTC(2026, 10, day, 2));
      await bed.db.prisma.backup.create({
        data: {
          filename: `backup-202611${String(day).padStart(2, '0')}T020000Z-0000abcd.enc`,
          type: 'SCHEDULED',
          status: 'COMPLETED',
          models: [],
          createdAt: at,
          completedAt: at,
          scheduleId,
          scheduledFor: at,
        },
      });
    }
  }

  it('judges the policy as typed, not the stored one, and changes nothing', async () => {
    const schedule = await addSchedule({ cron: '0 2 * * *', timezone: 'UTC', retention: { keepDaily: 7 } }, bed.deps, NOW);
    await scheduledBackups(schedule.id, [24, 25, 26]);

    const stored = await pruneBackups({ scheduleId: schedule.id, dryRun: true }, bed.deps, NOW);
    expect(stored.keep.map((backup) => backup.reasons)).toEqual([
      ['newest', 'daily 2026-11-26'],
      ['daily 2026-11-25'],
      ['daily 2026-11-24'],
    ]);
    expect(stored.remove).toEqual([]);

    const typed = await pruneBackups({ scheduleId: schedule.id, policy: { keepLast: 2 }, dryRun: true }, bed.deps, NOW);
    expect(typed.policy).toEqual({ keepLast: 2 });
    expect(typed.keep.map((backup) => backup.createdAt)).toEqual(['2026-11-26T02:00:00.000Z', '2026-11-25T02:00:00.000Z']);
    expect(typed.remove.map((backup) => backup.createdAt)).toEqual(['2026-11-24T02:00:00.000Z']);
    expect(await bed.db.prisma.backup.count({ where: { scheduleId: schedule.id, status: 'COMPLETED' } })).toBe(3);
  });

  it('accepts a schedule and a policy together only on a dry run', () => {
    const both = { scheduleId: 'cmwyschedule00000000000001', policy: { keepLast: 1 } };
    expect(ZPruneInput.safeParse({ ...both, dryRun: true }).success).toBe(true);
    const applied = ZPruneInput.safeParse({ ...both, dryRun: false });
    expect(applied.success).toBe(false);
    expect(applied.error?.issues[0]?.message).toMatch(/not both \(both only with --dry-run\)/);
  });
});
