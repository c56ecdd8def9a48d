import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withPgClient } from '@/lib/db/scratch-database';
import { exitWithin, waitUntil, workerPidOf } from '@/test/cli-process';
import { useCliTestbed } from '@/test/cli-testbed';

// Each drill builds a throwaway database and migrates it; on a busy machine that takes seconds.
describe('erp-backup drill', { timeout: 300_000 }, () => {
  const cli = useCliTestbed();

  it('drills the newest backup from another working directory, prints the verdict and exits 1 when it FAILED', async () => {
    const older = JSON.parse((await cli.run('create', '--json')).stdout);
    const newest = JSON.parse((await cli.run('create', '--json')).stdout);

    const drilled = await cli.run('drill', '--json');
    expect(drilled.code, drilled.stderr).toBe(0);
    const result = JSON.parse(drilled.stdout);
    expect(result).toMatchObject({ success: true, data: { status: 'OK', backupId: newest.data.id, digests: 'checked' } });
    expect(result.data.durationMs).toEqual(expect.any(Number));
    expect(result.data.models).toContainEqual({ name: 'School', rows: 1, expectedRows: 1, digestMatches: true });

    await cli.withDb((db) =>
      db.prisma.backup.update({ where: { id: older.data.id }, data: { rowCounts: { ...older.data.rowCounts, School: 2 } } }),
    );
    const failed = await cli.run('drill', older.data.id);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(
      new RegExp(
        `^Drill of backup ${older.data.id} FAILED: .*\\nFirst difference \\(School\\): School restored 1 rows; the backup recorded 2`,
      ),
    );
    const rows = await cli.withDb((db) => db.prisma.backup.findMany({ where: { id: { in: [older.data.id, newest.data.id] } } }));
    expect(Object.fromEntries(rows.map((row) => [row.id, row.lastDrillStatus]))).toEqual({
      [older.data.id]: 'FAILED',
      [newest.data.id]: 'OK',
    });

    const usage = await cli.run('drill', older.data.id, newest.data.id);
    expect(usage.code).toBe(2);
  });

  it('a drill killed outright leaves its throwaway database, which the next start removes', async () => {
    const tmpdir = path.join(cli.tmp, 'drill-tmp');
    fs.mkdirSync(tmpdir);
    // The embedded throwaway database goes to the process's temp directory.
    cli.env.TMPDIR = tmpdir;
    const leftovers = async (pid: number): Promise<string[]> => {
      const dirs = fs.readdirSync(tmpdir).filter((name) => name.startsWith(`erp-drill-${pid}-`));
      if (!cli.databaseUrl) return dirs;
      const { rows } = await withPgClient(cli.databaseUrl, (client) =>
        client.query<{ name: string }>('SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1)', [`erp_drill_${pid}_`]),
      );
      return [...dirs, ...rows.map((row) => row.name)];
    };
    expect((await cli.run('create')).code).toBe(0);
    try {
      const run = cli.start('drill', '--json');
      const worker = await workerPidOf(run);
      await waitUntil('the drill has made its throwaway database', async () => (await leftovers(worker)).length > 0, 120_000);
      process.kill(worker, 'SIGKILL');
      expect((await exitWithin(run, 60_000)).code).toBe(137);
      expect(await leftovers(worker)).toHaveLength(1);

      const next = await cli.run('list', '--json');
      expect(next.code, next.stderr).toBe(0);
      expect(await leftovers(worker)).toEqual([]);
    } finally {
      delete cli.env.TMPDIR;
    }
  });
});
