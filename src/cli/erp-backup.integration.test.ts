import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrate';
import { randomKeyHex } from '@/test/backup-deps';
import { insertEdgeValues } from '@/test/edge-values';
import { dumpTables } from '@/test/table-dump';
import { createTestDb, type TTestDb, testEngine } from '@/test/test-db';

interface TRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `erp-backup` bin in its own process, as an operator would. */
function runCli(env: Record<string, string>, ...args: string[]): Promise<TRun> {
  return new Promise((resolve) => {
    // Only PATH and the given variables: the developer's own .env settings must not leak in.
    const childEnv: NodeJS.ProcessEnv = { NODE_ENV: 'production', PATH: process.env.PATH ?? '', ...env };
    const child = spawn(process.execPath, ['bin/erp-backup.mjs', ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('erp-backup CLI', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-cli-'));
  const env: Record<string, string> = {
    BACKUP_DIR: path.join(tmp, 'backups'),
    BACKUP_ENCRYPTION_KEY: randomKeyHex(),
    NODE_ENV: 'production',
  };
  let pgDb: TTestDb | undefined;
  // A fresh connection for each look at the data: on the embedded database the CLI must be its only holder while it runs.
  const withDb = async <T>(use: (db: Awaited<ReturnType<typeof createDb>>) => Promise<T>): Promise<T> => {
    const db = await createDb(
      env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite', dataDir: env.DATA_DIR as string },
    );
    try {
      return await use(db);
    } finally {
      await db.close();
    }
  };

  beforeAll(async () => {
    if (testEngine() === 'postgres') {
      pgDb = await createTestDb();
      env.DATABASE_URL = (pgDb.target as { url: string }).url;
    } else {
      env.DATA_DIR = path.join(tmp, 'data');
    }
    await withDb(async (db) => {
      await applyMigrations(db.database.adapterFactory);
      await insertEdgeValues(db.prisma);
    });
  });
  afterAll(async () => {
    await pgDb?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('creates, lists, verifies, restores and deletes, printing exactly the service result with --json', async () => {
    const created = await runCli(env, 'create', '--json');
    expect(created.code, created.stderr).toBe(0);
    const backup = JSON.parse(created.stdout);
    expect(backup).toMatchObject({ success: true, data: { status: 'COMPLETED', location: 'LOCAL' } });

    const listed = await runCli(env, 'list', '--json');
    expect(JSON.parse(listed.stdout).data.map((b: { id: string }) => b.id)).toEqual([backup.data.id]);

    const verified = await runCli(env, 'verify', backup.data.id, '--json');
    expect(verified.code).toBe(0);
    expect(JSON.parse(verified.stdout).data.valid).toBe(true);

    const before = await withDb((db) => dumpTables(db.prisma));
    await withDb((db) => db.prisma.payment.deleteMany());
    const restored = await runCli(env, 'restore', backup.data.id, '--yes', '--no-safety-backup', '--json');
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({
      success: true,
      recordsRestored: expect.any(Number),
      data: { safetyBackupId: null },
    });
    expect(await withDb((db) => dumpTables(db.prisma))).toEqual(before);

    const deleted = await runCli(env, 'delete', backup.data.id, '--yes', '--json');
    expect(JSON.parse(deleted.stdout)).toEqual({ success: true, data: { id: backup.data.id, fileExisted: true, cloudCopyExisted: null } });
  });

  it('restores a file with no metadata row (disaster recovery) and prints a human summary', async () => {
    const created = JSON.parse((await runCli(env, 'create', '--json')).stdout);
    const file = path.join(env.BACKUP_DIR as string, created.data.filename);
    await withDb((db) => db.prisma.backup.deleteMany());
    const restored = await runCli(env, 'restore-file', file, '--yes');
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/^Restored \d+ rows in \d+ ms\.\nSafety backup of the previous data: c/);
  });

  it('exits 1 with the service error on failure, and 2 on bad usage', async () => {
    const missing = await runCli(env, 'verify', 'cmwx3gdpg0000547dvc7iix2z', '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      success: false,
      error: 'Backup cmwx3gdpg0000547dvc7iix2z does not exist',
      code: 'NOT_FOUND',
    });

    const wrongKey = await runCli({ ...env, BACKUP_ENCRYPTION_KEY: 'short' }, 'list');
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toContain('Encryption key must be 64 hex characters');

    for (const args of [['restore', 'cmwx3gdpg0000547dvc7iix2z'], ['frobnicate'], ['list', '--bogus'], ['verify']]) {
      const usage = await runCli(env, ...args);
      expect(usage.code, args.join(' ')).toBe(2);
      expect(usage.stderr).toContain('Usage: erp-backup');
    }
  });
});
