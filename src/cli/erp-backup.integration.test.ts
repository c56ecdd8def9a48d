import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireOperationLock } from '@/lib/backup/lock/operation-lock';
import { createScratchDatabase } from '@/lib/db/scratch-database';
import { loadEnv } from '@/lib/env';
import { exitWithin } from '@/test/cli-process';
import { useCliTestbed } from '@/test/cli-testbed';
import { dumpTables } from '@/test/table-dump';

/** Lines of stderr that point into code: stack frames or source positions. */
const CODE_LOCATION = /^\s+at\s|:\d+:\d+\)?$/m;

// Each test runs the real bin several times; on a busy machine one start-up takes seconds.
describe('erp-backup CLI', { timeout: 300_000 }, () => {
  const cli = useCliTestbed();

  it('creates, lists, verifies, restores and deletes, printing exactly the service result with --json', async () => {
    const created = await cli.run('create', '--json');
    expect(created.code, created.stderr).toBe(0);
    const backup = JSON.parse(created.stdout);
    expect(backup).toMatchObject({ success: true, data: { status: 'COMPLETED', location: 'LOCAL' } });

    const listed = await cli.run('list', '--json');
    expect(JSON.parse(listed.stdout).data.map((b: { id: string }) => b.id)).toEqual([backup.data.id]);

    const verified = await cli.run('verify', backup.data.id, '--json');
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout).data.valid).toBe(true);

    const before = await cli.withDb((db) => dumpTables(db.prisma));
    await cli.withDb((db) => db.prisma.payment.deleteMany());
    const restored = await cli.run('restore', backup.data.id, '--yes', '--no-safety-backup', '--json');
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({
      success: true,
      recordsRestored: expect.any(Number),
      data: { safetyBackupId: null },
    });
    expect(await cli.withDb((db) => dumpTables(db.prisma))).toEqual(before);

    const deleted = await cli.run('delete', backup.data.id, '--yes', '--json');
    expect(JSON.parse(deleted.stdout)).toEqual({ success: true, data: { id: backup.data.id, fileExisted: true, cloudCopyExisted: null } });
  });

  it('restores a file with no metadata row (disaster recovery) and prints a human summary', async () => {
    const created = JSON.parse((await cli.run('create', '--json')).stdout);
    const file = path.join(cli.env.BACKUP_DIR as string, created.data.filename);
    await cli.withDb((db) => db.prisma.backup.deleteMany());
    const restored = await cli.run('restore-file', file, '--yes');
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^Restored \d+ rows in \d+ ms\.\nSafety backup of the previous data: c/);
  });

  it('exits 1 with the service error on failure, and 2 on bad usage', async () => {
    const missing = await cli.run('verify', 'cmwx3gdpg0000547dvc7iix2z', '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      success: false,
      error: 'Backup cmwx3gdpg0000547dvc7iix2z does not exist',
      code: 'NOT_FOUND',
    });

    const wrongKey = await cli.runWith({ BACKUP_ENCRYPTION_KEY: 'short' }, 'list');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('Encryption key must be 64 hex characters');

    for (const args of [['restore', 'cmwx3gdpg0000547dvc7iix2z'], ['frobnicate'], ['list', '--bogus'], ['verify']]) {
      const usage = await cli.run(...args);
      expect(usage.code, args.join(' ')).toBe(2);
      expect(usage.stderr).toContain('Usage: erp-backup');
    }
  });

  it('refuses a FIFO, a directory, a device or a link to a FIFO at once, leaving the lock free', async () => {
    const fifo = path.join(cli.tmp, 'backup.fifo');
    execFileSync('mkfifo', [fifo]);
    const link = path.join(cli.tmp, 'backup-link.enc');
    fs.symlinkSync(fifo, link);
    const cases = [
      [fifo, 'a FIFO'],
      [cli.tmp, 'a directory'],
      ['/dev/zero', 'a character device'],
      [link, 'a FIFO'],
    ] as const;
    for (const [target, kind] of cases) {
      // Bounded: before the fix a FIFO blocked the restore for ever, holding the lock.
      const refused = await exitWithin(cli.start('restore-file', target, '--yes', '--json'), 60_000);
      expect(refused.code, refused.stderr).toBe(1);
      expect(JSON.parse(refused.stdout)).toEqual({
        success: false,
        error: `${target} is not a regular file (it is ${kind}): give the path of a backup file`,
        code: 'INVALID_INPUT',
      });
    }
    const missing = await cli.run('restore-file', path.join(cli.tmp, 'no-such-file.enc'), '--yes', '--json');
    expect(JSON.parse(missing.stdout)).toMatchObject({ success: false, code: 'FILE_MISSING' });
    const after = await cli.run('create', '--json');
    expect(after.code, after.stderr).toBe(0);
  });

  it('without BACKUP_ENCRYPTION_KEY refuses what needs a key, says how to set one, and writes no key anywhere', async () => {
    // NODE_ENV unset too: the CLI used to generate a key into .env.local then.
    const noKey = { BACKUP_ENCRYPTION_KEY: undefined, NODE_ENV: undefined };
    const before = await cli.withDb((db) => db.prisma.backup.count());
    const refused = await cli.runWith(noKey, 'create');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe(
      'erp-backup: BACKUP_ENCRYPTION_KEY is not set. Generate one with `openssl rand -hex 32`, store it in a password manager and set it in .env or the environment; without it, backups cannot be made or read.\n',
    );
    const restore = await cli.runWith(noKey, 'restore-file', '/dev/null', '--yes', '--json');
    expect(restore.code).toBe(1);
    expect(JSON.parse(restore.stdout)).toMatchObject({ success: false, code: 'KEY_MISSING' });
    expect(fs.readdirSync(cli.tmp).filter((name) => name.startsWith('.env'))).toEqual([]);
    expect(await cli.withDb((db) => db.prisma.backup.count())).toBe(before);

    // Listing reads no backup's content: it works without the key.
    const listed = await cli.runWith(noKey, 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toMatchObject({ success: true });
  });

  it('a BUSY loser prints only its result: one JSON document and an empty stderr, or one line', async () => {
    // On PostgreSQL the test holds the operation lock; on the embedded database, holding it open is what makes the CLI busy.
    await cli.withDb(async (db) => {
      const lock = await acquireOperationLock(db.database);
      try {
        const json = await cli.run('create', '--json');
        expect(json.code).toBe(1);
        expect(json.stderr).toBe('');
        expect(json.stdout.endsWith('\n') && json.stdout.indexOf('\n') === json.stdout.length - 1).toBe(true);
        expect(JSON.parse(json.stdout)).toMatchObject({ success: false, code: 'BUSY' });

        const human = await cli.run('create');
        expect(human.code).toBe(1);
        expect(human.stdout).toBe('');
        expect(human.stderr).toMatch(/^erp-backup: [^\n]+\n$/);
      } finally {
        await lock.release();
      }
    });
  });

  it('prints no stack on stderr, with --json or without, unless ERP_BACKUP_DEBUG=1 in human mode', async () => {
    // An unmigrated database: an error the service reports as unexpected, with its stack in the log.
    const adminUrl = loadEnv().TEST_DATABASE_URL;
    const scratch = adminUrl ? await createScratchDatabase(adminUrl, 'erp_test') : null;
    const unmigrated = scratch ? { DATABASE_URL: scratch.url } : { DATA_DIR: path.join(cli.tmp, 'unmigrated') };
    try {
      const json = await cli.runWith(unmigrated, 'list', '--json');
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toEqual({
        success: false,
        error: 'The database schema is older than this version of the ERP: run `npm run db:migrate` first',
        code: 'INTERNAL',
      });
      expect(json.stderr).toContain('does not exist');
      expect(json.stderr).not.toMatch(CODE_LOCATION);

      const human = await cli.runWith(unmigrated, 'list');
      expect(human.stderr).toContain('erp-backup: The database schema is older');
      expect(human.stderr).not.toMatch(CODE_LOCATION);

      const debug = await cli.runWith({ ...unmigrated, ERP_BACKUP_DEBUG: '1' }, 'list');
      expect(debug.stderr).toMatch(CODE_LOCATION);
    } finally {
      await scratch?.drop();
    }
  });
});
