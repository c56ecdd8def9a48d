import { describe, expect, it } from 'vitest';
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
});
