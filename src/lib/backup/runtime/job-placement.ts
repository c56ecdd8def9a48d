import type { TDatabaseTarget } from '@/lib/db/target';
import { databaseTargetFromEnv } from '@/lib/db/target';
import { loadEnv } from '@/lib/env';

/** Where the web server runs a backup, restore, drill or the schedules. */
export type TJobPlacement = 'child-process' | 'in-process';

/**
 * The one place that decides whether the web server's backup operations (the
 * dashboard's, and the in-app schedule runner) run in a child process of their
 * own or in the web server itself:
 *
 * - PostgreSQL: a child process (src/cli/job-child.ts) with the CLI's memory
 *   settings, so a backup's row decoding, JSON and gzip do not compete with
 *   the pages for the web server's main thread and heap. Any number of
 *   processes may connect; the operation lock is a PostgreSQL advisory lock.
 * - The embedded database (PGlite): in-process. Its data directory can be
 *   opened by one process only (src/lib/db/pglite-holder.ts), and the web
 *   server holds it, so a child could not open it. A school on PGlite is a
 *   trial or a small install, where the backup is short anyway.
 */
export function jobPlacement(target: TDatabaseTarget): TJobPlacement {
  return target.kind === 'postgres' ? 'child-process' : 'in-process';
}

/** `jobPlacement` for this process's configured database. */
export function jobPlacementFromEnv(): TJobPlacement {
  return jobPlacement(databaseTargetFromEnv(loadEnv()));
}
