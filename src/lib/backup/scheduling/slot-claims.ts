import type { BackupSchedule } from '@/generated/prisma/client';
import { dueSlots } from '../schedule/slots';
import type { TBackupDeps } from '../service/deps';

export interface TClaimedSlot {
  runId: string;
  scheduleId: string;
  slot: Date;
  /** Earlier slots that passed while nothing ran: this one run stands for them too. */
  missedSlots: number;
}

/**
 * Claims every due slot of every enabled schedule, once across all runners:
 * the schedule's `lastSlotAt` moves by compare-and-set (an UPDATE whose WHERE
 * names the value this runner read; PostgreSQL re-checks it after a
 * concurrent update commits, so only one runner's update matches), in the
 * same transaction as the run's row, whose unique (scheduleId, slot) is the
 * second guard. Slots missed while nothing ran give one run, for the latest
 * slot, recording how many it stands for: never a storm of backups.
 */
export async function claimDueSlots(deps: TBackupDeps, now: Date): Promise<TClaimedSlot[]> {
  const schedules = await deps.db.prisma.backupSchedule.findMany({ where: { enabled: true, removedAt: null } });
  const claimed: TClaimedSlot[] = [];
  for (const schedule of schedules) {
    const claim = await claimSlot(deps, schedule, now);
    if (claim) claimed.push(claim);
  }
  return claimed;
}

async function claimSlot(deps: TBackupDeps, schedule: BackupSchedule, now: Date): Promise<TClaimedSlot | null> {
  const due = dueSlots({ cron: schedule.cron, timezone: schedule.timezone }, { since: schedule.lastSlotAt ?? schedule.createdAt, now });
  if (!due) return null;
  return deps.db.prisma.$transaction(async (tx) => {
    const moved = await tx.backupSchedule.updateMany({
      where: { id: schedule.id, lastSlotAt: schedule.lastSlotAt, enabled: true, removedAt: null },
      data: { lastSlotAt: due.latest },
    });
    // Another runner claimed it (or the schedule changed) since it was read.
    if (moved.count !== 1) return null;
    const run = await tx.backupScheduleRun.create({
      data: { scheduleId: schedule.id, slot: due.latest, missedSlots: due.missed, notBefore: now },
    });
    return { runId: run.id, scheduleId: schedule.id, slot: due.latest, missedSlots: due.missed };
  });
}
