import { SYSTEM_ACTOR } from '@/lib/audit/audit-log';
import { loadEnv } from '@/lib/env';
import { backupLog } from '../process/log';
import { startScheduler, type TScheduler } from '../scheduling/scheduler';
import { jobPlacementFromEnv } from './job-placement';
import { defaultBackupDeps } from './runtime';
import { startSchedulerProcess } from './scheduler-process';

/**
 * The schedule runner of an app instance, started by `instrumentation.ts`
 * unless BACKUP_SCHEDULER=off. Every instance may run one: each slot is
 * claimed in the database, so it runs once whichever instance gets it. If the
 * server is killed mid-backup, the run's claim expires and the next runner
 * (this instance restarted, or another) takes the slot over. On PostgreSQL the
 * runner lives in a backup child process of its own, on the embedded database
 * in this process (job-placement.ts says why).
 */
export function startAppScheduler(): TScheduler | null {
  if (loadEnv().BACKUP_SCHEDULER === 'off') {
    backupLog('[scheduler] Not started in this instance (BACKUP_SCHEDULER=off)');
    return null;
  }
  if (jobPlacementFromEnv() === 'child-process') {
    backupLog('[scheduler] Running backup schedules in a child process of this instance');
    return startSchedulerProcess();
  }
  backupLog('[scheduler] Running backup schedules in this instance');
  return startScheduler({ deps: () => defaultBackupDeps(SYSTEM_ACTOR), log: backupLog });
}
