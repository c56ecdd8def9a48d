import { SYSTEM_ACTOR } from '@/lib/audit/audit-log';
import { loadEnv } from '@/lib/env';
import { backupLog } from '../process/log';
import { startScheduler, type TScheduler } from '../scheduling/scheduler';
import { defaultBackupDeps } from './runtime';

/**
 * The schedule runner of an app instance, started by `instrumentation.ts`
 * unless BACKUP_SCHEDULER=off. Every instance may run one: each slot is
 * claimed in the database, so it runs once whichever instance gets it. If the
 * server is killed mid-backup, the run's claim expires and the next runner
 * (this instance restarted, or another) takes the slot over.
 */
export function startAppScheduler(): TScheduler | null {
  if (loadEnv().BACKUP_SCHEDULER === 'off') {
    backupLog('[scheduler] Not started in this instance (BACKUP_SCHEDULER=off)');
    return null;
  }
  backupLog('[scheduler] Running backup schedules in this instance');
  return startScheduler({ deps: () => defaultBackupDeps(SYSTEM_ACTOR), log: backupLog });
}
