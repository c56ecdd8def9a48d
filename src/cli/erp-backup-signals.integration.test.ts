import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { withPgClient } from '@/lib/db/scratch-database';
import { descendantPids, exitWithin, isAlive, type TCliProcess, waitUntil, workerPidOf } from '@/test/cli-process';
import { useCliTestbed } from '@/test/cli-testbed';
import { dumpTables } from '@/test/table-dump';
import { testEngine } from '@/test/test-db';

const CLEAN_UP_LATER = 'an unfinished backup is marked FAILED the next time erp-backup runs or the backups page is opened';
const WRAPPER_KILLED = 'Interrupted: stopped because the erp-backup command that started it was killed';

/**
 * A transaction of the test's own holding a lock until released, as a long
 * query or a migration would: the CLI's next statement that needs a
 * conflicting lock waits for it.
 */
async function holdLock(url: string, lockSql: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  await client.query(lockSql);
  return {
    release: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Waits until a session of the database waits for a lock: the CLI is stuck behind the test's. */
function blockedOnLock(url: string): Promise<void> {
  return waitUntil('the CLI waits for the lock the test holds', () =>
    withPgClient(url, async (client) => {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      return rows[0].n > 0;
    }),
  );
}

/** Waits until the worker has taken the stop request in. */
function stopping(run: TCliProcess): Promise<void> {
  return waitUntil('the worker says it is stopping', () => run.stderr().includes('stopping the running operation'));
}

// The real bin, its worker and real signals; on a busy machine one start-up takes seconds.
describe('erp-backup on signals', { timeout: 300_000 }, () => {
  const cli = useCliTestbed();
  const latestBackup = () => cli.withDb((db) => db.prisma.backup.findFirst({ orderBy: { createdAt: 'desc' } }));
  const runningRows = () => cli.withDb((db) => db.prisma.backup.count({ where: { status: 'RUNNING' } }));
  const tempFiles = () => cli.backupFiles().filter((name) => name.startsWith('.tmp-'));

  it('SIGKILL of the worker: the wrapper says so in one JSON document and exits 137; the next run cleans up', async () => {
    const run = cli.start('create', '--json');
    process.kill(await workerPidOf(run), 'SIGKILL');
    const result = await exitWithin(run, 60_000);
    expect(result.code).toBe(137);
    expect(JSON.parse(result.stdout)).toEqual({
      success: false,
      error: `the backup process was killed by SIGKILL; ${CLEAN_UP_LATER}`,
      code: 'INTERRUPTED',
    });
    const next = await cli.run('create', '--json');
    expect(next.code, next.stderr).toBe(0);
    expect(await runningRows()).toBe(0);
  });

  it('SIGKILL of the wrapper as it starts: the worker notices, starts nothing and exits on its own', async () => {
    const countBackups = () => cli.withDb((db) => db.prisma.backup.count({ where: { status: { not: 'FAILED' } } }));
    const before = await countBackups();
    const run = cli.start('create', '--json');
    const worker = await workerPidOf(run);
    run.child.kill('SIGKILL');
    // The test's pipes stay open until the worker, which inherited them, has exited too.
    const result = await exitWithin(run, 60_000);
    expect(result.signal).toBe('SIGKILL');
    await waitUntil('the worker has exited', () => !isAlive(worker));
    expect(JSON.parse(result.stdout)).toEqual({ success: false, error: WRAPPER_KILLED, code: 'INTERRUPTED' });
    // Left running, it would have completed a backup.
    expect(await countBackups()).toBe(before);
    expect(tempFiles()).toEqual([]);
  });

  // Registered on PostgreSQL only, not skipped elsewhere: holding the CLI at a
  // chosen point needs a second session on its database, and the embedded
  // database is only ever open in one process.
  if (testEngine() === 'postgres') {
    const url = () => cli.databaseUrl as string;

    it('SIGKILL of the wrapper while the backup waits on a lock: the worker stops as soon as it can', async () => {
      const blocker = await holdLock(url(), 'LOCK TABLE "School" IN ACCESS EXCLUSIVE MODE');
      const run = cli.start('create', '--json');
      const worker = await workerPidOf(run);
      await blockedOnLock(url());
      run.child.kill('SIGKILL');
      await stopping(run);
      await blocker.release();
      await exitWithin(run, 60_000);
      await waitUntil('the worker has exited', () => !isAlive(worker));
      expect(await latestBackup()).toMatchObject({ status: 'FAILED', error: WRAPPER_KILLED });
      expect(await runningRows()).toBe(0);
    });

    it('SIGTERM during a restore rolls it back: nothing changed, exit 143, one JSON document', async () => {
      const backup = JSON.parse((await cli.run('create', '--json')).stdout).data;
      const before = await cli.withDb((db) => dumpTables(db.prisma));
      // A reader of School: the restore's TRUNCATE waits for it, inside the restore's transaction.
      const blocker = await holdLock(url(), 'SELECT 1 FROM "School" LIMIT 1');
      const run = cli.start('restore', backup.id, '--yes', '--no-safety-backup', '--json');
      await blockedOnLock(url());
      run.child.kill('SIGTERM');
      await stopping(run);
      await blocker.release();
      const result = await exitWithin(run, 60_000);
      expect(result.code).toBe(143);
      expect(JSON.parse(result.stdout)).toEqual({
        success: false,
        error: 'Interrupted: stopped by SIGTERM. Nothing was changed.',
        code: 'INTERRUPTED',
      });
      expect(await cli.withDb((db) => dumpTables(db.prisma))).toEqual(before);
      const next = await cli.run('create', '--json');
      expect(next.code, next.stderr).toBe(0);
    });

    it('a stop that cannot finish within 10 s exits anyway, and the next run marks the backup FAILED', async () => {
      const blocker = await holdLock(url(), 'LOCK TABLE "School" IN ACCESS EXCLUSIVE MODE');
      try {
        const run = cli.start('create');
        await blockedOnLock(url());
        run.child.kill('SIGTERM');
        const result = await exitWithin(run, 60_000);
        expect(result.code).toBe(143);
        expect(result.stderr).toContain(
          `erp-backup: Interrupted: stopped by SIGTERM, but the operation did not stop within 10 s, so erp-backup exited without waiting; ${CLEAN_UP_LATER}\n`,
        );
      } finally {
        await blocker.release();
      }
      const stuck = await latestBackup();
      expect(stuck?.status).toBe('RUNNING');
      expect((await cli.run('list', '--json')).code).toBe(0);
      expect(await cli.withDb((db) => db.prisma.backup.findUnique({ where: { id: stuck?.id } }))).toMatchObject({ status: 'FAILED' });
    });

    it('a second, different signal while stopping exits at once with its own code', async () => {
      const blocker = await holdLock(url(), 'LOCK TABLE "School" IN ACCESS EXCLUSIVE MODE');
      try {
        const run = cli.start('create', '--json');
        await blockedOnLock(url());
        run.child.kill('SIGTERM');
        await stopping(run);
        run.child.kill('SIGINT');
        const result = await exitWithin(run, 60_000);
        expect(result.code).toBe(130);
        expect(JSON.parse(result.stdout)).toEqual({
          success: false,
          error: `Interrupted: SIGINT came while it was stopping, so erp-backup exited without waiting; ${CLEAN_UP_LATER}`,
          code: 'INTERRUPTED',
        });
      } finally {
        await blocker.release();
      }
    });
  }

  it('SIGTERM to the wrapper mid-backup: FAILED row, temporary file removed, lock free, exit 143 with a message', async () => {
    // Enough rows that the backup is still writing its file when the signal comes.
    await cli.withDb((db) =>
      db.prisma.$executeRawUnsafe(
        `INSERT INTO "AuditLog" (action, outcome, details) SELECT 'test.filler', 'SUCCESS', jsonb_build_object('n', g, 'pad', md5(g::text)) FROM generate_series(1, 300000) g`,
      ),
    );
    const run = cli.start('create');
    await waitUntil('the backup is writing its temporary file', () => tempFiles().length > 0);
    run.child.kill('SIGTERM');
    const result = await exitWithin(run, 60_000);
    expect(result.code, result.stderr).toBe(143);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('erp-backup: Interrupted: stopped by SIGTERM\n');
    expect(await latestBackup()).toMatchObject({ status: 'FAILED', error: 'Interrupted: stopped by SIGTERM' });
    expect(tempFiles()).toEqual([]);
  });

  it('a terminal that hangs up mid-backup: SIGHUP stops it cleanly although its output has nowhere to go', async () => {
    const run = cli.startOnTerminal('create');
    await waitUntil('the backup is writing its temporary file', () => tempFiles().length > 0);
    const processes = descendantPids(run.child.pid as number);
    run.child.kill('SIGKILL');
    // Not the database: on the embedded one the worker holds it until it exits.
    await waitUntil('the bin and its worker have exited', () => !processes.some(isAlive));
    expect(await latestBackup()).toMatchObject({ status: 'FAILED', error: 'Interrupted: stopped by SIGHUP' });
    expect(tempFiles()).toEqual([]);
  });

  it("SIGTERM to `npm run erp-backup` mid-backup: npm's shell dies without passing it on, the bin notices and stops cleanly", async () => {
    const run = cli.startViaNpm('create', '--json');
    await waitUntil('the backup is writing its temporary file', () => tempFiles().length > 0);
    run.child.kill('SIGTERM');
    // Settles once every process holding the test's pipes (npm, the bin, its worker) has exited.
    const result = await exitWithin(run, 60_000);
    expect(JSON.parse(result.stdout)).toEqual({ success: false, error: 'Interrupted: stopped by SIGTERM', code: 'INTERRUPTED' });
    expect(await latestBackup()).toMatchObject({ status: 'FAILED', error: 'Interrupted: stopped by SIGTERM' });
    expect(tempFiles()).toEqual([]);

    await cli.withDb((db) => db.prisma.auditLog.deleteMany({ where: { action: 'test.filler' } }));
    const next = await cli.run('create', '--json');
    expect(next.code, next.stderr).toBe(0);
  });
});
