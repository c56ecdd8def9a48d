import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '@/lib/audit/audit-log';
import { getProgress } from '@/lib/backup/process/progress';
import { getDb } from '@/lib/db/client';
import * as backups from '@/lib/utils/backup-service';
import { openAppTestEnvironment, type TAppTestEnvironment } from '@/test/app-environment';
import { isAlive, waitUntil } from '@/test/cli-process';
import { insertEdgeValues } from '@/test/edge-values';
import { expectCleanFailure } from '@/test/fault-expectations';
import { testEngine } from '@/test/test-db';
import { backupProcessExecArgv } from '../../../../bin/backup-process.mjs';
import { runJob } from './job-runner';
import { defaultBackupDeps } from './runtime';
import { startSchedulerProcess } from './scheduler-process';

const ADMIN = { actorId: null, actorEmail: 'admin@example.test', ipAddress: '203.0.113.9', userAgent: 'vitest' };

/** The pid a Backup row's owner names (`host=… pid=… lock-session=…`). */
async function ownerPid(id: string): Promise<number> {
  const row = await (await getDb()).prisma.backup.findUniqueOrThrow({ where: { id } });
  return Number(/ pid=(\d+) /.exec(row.owner ?? '')?.[1]);
}

async function waitForStatus(id: string, status: string) {
  await waitUntil(`backup ${id} ${status}`, async () => {
    const row = await (await getDb()).prisma.backup.findUnique({ where: { id } });
    return row?.status === status;
  });
}

const keysOf = (value: unknown) => Object.keys(value as object).sort();

/** Starts src/test/job-parent.ts (a web server stand-in) and resolves with it once its backup's row exists. */
async function startJobParent(): Promise<{ pid: number; backupId: string }> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const parent = spawn(process.execPath, [...backupProcessExecArgv(process.env), '--import', tsx, path.resolve('src/test/job-parent.ts')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const backupId = await new Promise<string>((resolve, reject) => {
    parent.stdout.on('data', (chunk) => {
      output += chunk;
      const id = /^STARTED (\S+)$/m.exec(output)?.[1];
      if (id) resolve(id);
    });
    parent.once('exit', (code) => reject(new Error(`the stand-in exited (${code}) before its backup started: ${output}`)));
  });
  return { pid: parent.pid as number, backupId };
}

// The child process exists on PostgreSQL only (job-placement.ts); job-placement.test.ts covers the choice.
describe.skipIf(testEngine() !== 'postgres')('operations in a backup child process (PostgreSQL)', () => {
  let app: TAppTestEnvironment;
  beforeAll(async () => {
    app = await openAppTestEnvironment('erp-jobs-');
    await insertEdgeValues((await getDb()).prisma);
  });
  afterAll(async () => app.close());

  it('starts a backup in another process, relays its progress here, and returns the same shape as in-process', async () => {
    const started = await backups.startBackup({}, { actor: ADMIN, ownProcess: true });
    if (!started.success) throw new Error(started.error);
    expect(keysOf(started)).toEqual(['data', 'success']);
    expect(keysOf(started.data)).toEqual(['id']);
    const pid = await ownerPid(started.data.id);
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);

    await waitForStatus(started.data.id, 'COMPLETED');
    // This process never ran the backup: what its registry holds came from the child.
    const row = await (await getDb()).prisma.backup.findUniqueOrThrow({ where: { id: started.data.id } });
    await waitUntil('the final progress relayed', () => getProgress(started.data.id)?.phase === 'done');
    expect(getProgress(started.data.id)).toMatchObject({ operation: 'backup', rowsDone: Number(row.totalRows) });
    const view = await backups.getBackupProgress(started.data.id);
    expect(view).toMatchObject({ success: true, data: { status: 'COMPLETED', percent: 100 } });
    // The acting administrator reaches the audit log written by the child (just after the row is COMPLETED).
    const findAudit = async () =>
      (await getDb()).prisma.auditLog.findFirst({ where: { action: 'backup.created', targetId: started.data.id } });
    await waitUntil('the backup.created audit row', async () => (await findAudit()) !== null);
    const audit = await findAudit();
    expect(audit).toMatchObject({ actorEmail: ADMIN.actorEmail, ipAddress: ADMIN.ipAddress });

    const inProcess = await backups.startBackup({}, { actor: ADMIN });
    if (!inProcess.success) throw new Error(inProcess.error);
    expect(await ownerPid(inProcess.data.id)).toBe(process.pid);
    expect(keysOf(inProcess.data)).toEqual(keysOf(started.data));
    await waitForStatus(inProcess.data.id, 'COMPLETED');
  });

  it('restores and drills through the child with the same result shapes (Dates included) as in-process', async () => {
    const list = await backups.listBackups();
    const id = list.success ? list.data.find((backup) => backup.status === 'COMPLETED')?.id : undefined;
    if (!id) throw new Error('no completed backup');

    const viaChild = await backups.restoreBackup(id, { confirm: true, safetyBackup: false }, { actor: ADMIN, ownProcess: true });
    const here = await backups.restoreBackup(id, { confirm: true, safetyBackup: false }, { actor: ADMIN });
    if (!viaChild.success || !here.success) throw new Error('restore failed');
    expect(keysOf(viaChild)).toEqual(keysOf(here));
    expect(keysOf(viaChild.data)).toEqual(keysOf(here.data));
    expect(viaChild.recordsRestored).toBe(here.recordsRestored);

    const drillChild = await backups.drillBackup(id, { actor: ADMIN, ownProcess: true });
    const drillHere = await backups.drillBackup(id, { actor: ADMIN });
    if (!drillChild.success || !drillHere.success) throw new Error('drill failed');
    expect(keysOf(drillChild.data)).toEqual(keysOf(drillHere.data));
    expect(drillChild.data.status).toBe(drillHere.data.status);

    // Errors keep their shape and code too.
    const unknown = await backups.drillBackup('cnotarealbackupidatall00', { actor: ADMIN, ownProcess: true });
    expect(unknown).toEqual(await backups.drillBackup('cnotarealbackupidatall00', { actor: ADMIN }));
    expect(unknown.success).toBe(false);
  });

  it('reports BUSY from the child while another operation holds the lock', async () => {
    const deps = await defaultBackupDeps(SYSTEM_ACTOR);
    const { acquireOperationLock } = await import('@/lib/backup/lock/operation-lock');
    const lock = await acquireOperationLock(deps.db.database);
    try {
      const started = await backups.startBackup({}, { actor: ADMIN, ownProcess: true });
      expect(started).toMatchObject({ success: false, code: 'BUSY' });
    } finally {
      await lock.release();
    }
  });

  it('runs the schedules in a child process that stops cleanly when asked', async () => {
    const scheduler = startSchedulerProcess();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const pid = scheduler.pid;
    expect(pid).toBeGreaterThan(0);
    expect(pid).not.toBe(process.pid);
    expect(isAlive(pid as number)).toBe(true);
    const stopped = Date.now();
    await scheduler.stop();
    expect(isAlive(pid as number)).toBe(false);
    // SIGTERM ends its loop at once (nothing was due), well inside the CLI's 10 s grace period.
    expect(Date.now() - stopped).toBeLessThan(10_000);
  });

  it('turns a child killed mid-backup into a clear error, a FAILED row, no temporary file and a free lock', async () => {
    // Enough rows that the export takes seconds, so the backup is surely running when its process is killed.
    const filler = new pg.Client({ connectionString: app.postgres?.target.kind === 'postgres' ? app.postgres.target.url : '' });
    await filler.connect();
    await filler.query(
      `INSERT INTO "AuditLog" (action, outcome, details) SELECT 'test.filler', 'SUCCESS', jsonb_build_object('n', n, 'pad', repeat('x', 200)) FROM generate_series(1, 300000) n`,
    );
    await filler.end();
    const job = runJob({ operation: 'backup', input: {}, actor: ADMIN });
    const id = await job.started;
    if (!id) throw new Error(`the backup did not start: ${JSON.stringify(await job.result)}`);
    const pid = await ownerPid(id);
    const deps = await defaultBackupDeps(SYSTEM_ACTOR);
    await waitUntil(
      'the export writing its temporary file',
      () => (getProgress(id)?.rowsDone ?? 0) > 0 && fs.readdirSync(deps.backupDir).some((name) => name.startsWith('.tmp-')),
      20_000,
    );
    // Niced, so the pages get the CPU first (job-process.ts).
    expect(os.getPriority(pid)).toBe(10);
    process.kill(pid, 'SIGKILL');

    const result = await job.result;
    expect(result).toEqual({
      success: false,
      code: 'INTERRUPTED',
      error: expect.stringMatching(/^The backup process was killed by SIGKILL before the backup finished: it is marked FAILED/),
    });
    expect(getProgress(id)?.phase).toBe('failed');
    await expectCleanFailure(deps, id, /Interrupted: the process running it stopped/);
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`stops the child cleanly when the web server is stopped by ${signal} mid-backup`, async () => {
      const parent = await startJobParent();
      const childPid = await ownerPid(parent.backupId);
      await waitUntil('the export under way', async () => {
        const row = await (await getDb()).prisma.backup.findUniqueOrThrow({ where: { id: parent.backupId } });
        return row.status !== 'RUNNING' || fs.readdirSync(process.env.BACKUP_DIR as string).some((name) => name.startsWith('.tmp-'));
      });
      process.kill(parent.pid, signal);
      // SIGTERM: the server's exit passes SIGTERM on; SIGKILL: the child sees its IPC channel close.
      await waitUntil('the backup child gone', () => !isAlive(childPid), 30_000);
      const deps = await defaultBackupDeps(SYSTEM_ACTOR);
      await expectCleanFailure(deps, parent.backupId, /^Interrupted: stopped/);
    });
  }
});
