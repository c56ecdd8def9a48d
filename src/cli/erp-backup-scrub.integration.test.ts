import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliTestbed } from '@/test/cli-testbed';

describe('erp-backup scrub', { timeout: 300_000 }, () => {
  const cli = useCliTestbed();

  it('exits 0 when every copy is good, 1 with the damage named when a copy stays bad', async () => {
    const created = JSON.parse((await cli.run('create', '--json')).stdout);
    const good = await cli.run('scrub', '--json');
    expect(good.code, good.stderr).toBe(0);
    expect(JSON.parse(good.stdout)).toMatchObject({
      success: true,
      data: { checked: 1, ok: 1, backups: [{ id: created.data.id, status: 'OK', local: 'ok', offsite: 'absent' }] },
    });

    // A local-only backup has no good copy to repair from.
    fs.truncateSync(path.join(cli.env.BACKUP_DIR as string, created.data.filename), 100);
    const damaged = await cli.run('scrub');
    expect(damaged.code, damaged.stderr).toBe(1);
    expect(damaged.stdout).toContain(`DAMAGED   ${created.data.id}: The local copy is damaged: it is 100 bytes, not the`);
    expect(damaged.stdout).toContain('there is no good copy to repair it from');
    const row = await cli.withDb((db) => db.prisma.backup.findUniqueOrThrow({ where: { id: created.data.id } }));
    expect(row).toMatchObject({ scrubStatus: 'DAMAGED', scrubProblem: expect.stringContaining('it is 100 bytes') });
  });
});
