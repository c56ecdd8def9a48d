/**
 * Next's start-up hook: migrates the database before the first request, and
 * on the embedded database (a newcomer's `npm run demo`) seeds the demo
 * school, then starts the backup schedule runner. Next never calls it during
 * `next build`.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next itself, not by the operator, so it is read
  // here rather than validated in env.ts. Next inlines it at build time, so
  // the database code is compiled into the Node.js server only.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    // Loading the drivers and opening the database (creating it, on a first embedded start) takes
    // seconds before the first step bootstrapDatabase announces; it is announced too.
    console.log('[db] Opening the database...');
    const { getDb } = await import('@/lib/db/client');
    const { bootstrapDatabase } = await import('@/lib/db/bootstrap');
    const { DataDirInUseError } = await import('@/lib/db/pglite-holder');
    try {
      const db = await getDb();
      await bootstrapDatabase(db, {
        seedIfEmpty: db.database.target.kind === 'pglite',
        log: (message) => console.log(`[db] ${message}`),
      });
      const { startAppScheduler } = await import('@/lib/backup/runtime/app-scheduler');
      startAppScheduler();
    } catch (error) {
      // Next logs a failed hook and keeps serving, every page a 500. A server
      // without its database is of no use, so it stops here with the reason.
      console.error('School ERP cannot start:', error instanceof DataDirInUseError ? error.message : error);
      process.exit(1);
    }
  }
}
