/**
 * Next's start-up hook: migrates the database before the first request, and
 * on the embedded database (a newcomer's `npm run demo`) seeds the demo
 * school. Next never calls it during `next build`.
 */
export async function register(): Promise<void> {
  // NEXT_RUNTIME is set by Next itself, not by the operator, so it is read
  // here rather than validated in env.ts. Next inlines it at build time, so
  // the database code is compiled into the Node.js server only.
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getDb } = await import('@/lib/db/client');
    const { bootstrapDatabase } = await import('@/lib/db/bootstrap');
    const { DataDirInUseError } = await import('@/lib/db/pglite-holder');
    try {
      const db = await getDb();
      await bootstrapDatabase(db, {
        seedIfEmpty: db.database.target.kind === 'pglite',
        log: (message) => console.log(`[db] ${message}`),
      });
    } catch (error) {
      // Next logs a failed hook and keeps serving, every page a 500. A server
      // without its database is of no use, so it stops here with the reason.
      console.error('School ERP cannot start:', error instanceof DataDirInUseError ? error.message : error);
      process.exit(1);
    }
  }
}
