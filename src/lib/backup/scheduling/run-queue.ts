import type { BackupScheduleRun } from '@/generated/prisma/client';
import type { TBackupDeps } from '../service/deps';

/**
 * How long a runner's claim on a run holds without renewal. A runner renews
 * it while the backup runs; a runner that died (SIGKILL, power) stops
 * renewing, and once the claim has expired another runner takes the run over.
 */
export const LEASE_MS = 2 * 60_000;
export const LEASE_RENEW_MS = 30_000;

/**
 * Takes the next run that is due: pending and past its `notBefore`, or
 * running under a claim that expired. Each candidate is taken by
 * compare-and-set on its status and claim, so two runners never take the
 * same run. The attempt is counted when it is taken.
 */
export async function takeNextRun(deps: TBackupDeps, runnerId: string, now: Date): Promise<BackupScheduleRun | null> {
  const { prisma } = deps.db;
  const candidates = await prisma.backupScheduleRun.findMany({
    where: {
      OR: [
        { status: 'PENDING', notBefore: { lte: now } },
        { status: 'RUNNING', leaseUntil: { lt: now } },
      ],
    },
    orderBy: [{ slot: 'asc' }, { id: 'asc' }],
    take: 10,
  });
  for (const candidate of candidates) {
    const taken = await prisma.backupScheduleRun.updateMany({
      where: { id: candidate.id, status: candidate.status, leaseOwner: candidate.leaseOwner, leaseUntil: candidate.leaseUntil },
      data: { status: 'RUNNING', leaseOwner: runnerId, leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: { increment: 1 } },
    });
    if (taken.count === 1) return prisma.backupScheduleRun.findUniqueOrThrow({ where: { id: candidate.id } });
  }
  return null;
}

/** Extends this runner's claim on a run; false when the claim was lost (taken over after it expired). */
export async function renewLease(deps: TBackupDeps, runId: string, runnerId: string, now: Date): Promise<boolean> {
  const renewed = await deps.db.prisma.backupScheduleRun.updateMany({
    where: { id: runId, status: 'RUNNING', leaseOwner: runnerId },
    data: { leaseUntil: new Date(now.getTime() + LEASE_MS) },
  });
  return renewed.count === 1;
}

export type TRunEnd =
  | { status: 'SUCCEEDED'; backupId: string | null }
  | { status: 'FAILED'; error: string; backupId?: string | null }
  /** Back to the queue: tried again at `notBefore`; `countAttempt: false` when the attempt never really ran (busy, stopped). */
  | { status: 'PENDING'; notBefore: Date; error?: string; countAttempt: boolean; backupId?: string | null };

/** Records how this runner's attempt ended, if the run is still this runner's. */
export async function endRun(deps: TBackupDeps, runId: string, runnerId: string, end: TRunEnd, now: Date): Promise<boolean> {
  const common = { leaseOwner: null, leaseUntil: null, backupId: 'backupId' in end ? (end.backupId ?? null) : null };
  const data =
    end.status === 'PENDING'
      ? {
          ...common,
          status: 'PENDING' as const,
          notBefore: end.notBefore,
          error: end.error ?? null,
          ...(end.countAttempt ? {} : { attempts: { decrement: 1 } }),
        }
      : { ...common, status: end.status, error: end.status === 'FAILED' ? end.error : null, finishedAt: now };
  const ended = await deps.db.prisma.backupScheduleRun.updateMany({ where: { id: runId, status: 'RUNNING', leaseOwner: runnerId }, data });
  return ended.count === 1;
}
