import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring } from '@/lib/backup/crypto/keys';
import type { TProgress } from '@/lib/backup/process/progress';
import { createBackup, recoverInterrupted, type TBackupDeps } from '@/lib/backup/service';
import { createDb } from '@/lib/db/client';
import { applyMigrations } from '@/lib/db/migrate';
import { createTestBackupDeps, randomKeyHex } from '@/test/backup-deps';
import { insertEdgeValues } from '@/test/edge-values';
import { expectCleanFailure, expectLockFree, expectNothingHalfWritten } from '@/test/fault-expectations';
import type { TWorkerConfig } from '@/test/fault-worker';
import { openFaultInjector, settlesWithin, type TFaultInjector } from '@/test/pg-faults';
import { dumpTables } from '@/test/table-dump';
import { createTestDb, type TTestDb, testEngine } from '@/test/test-db';
import { startWorker, type TWorkerProcess } from '@/test/worker-process';

/** Every process here must end within this, whatever is done to it. */
const BOUND_MS = 30_000;
/** Starting a backup process (Node, tsx, Prisma, and on the embedded database PGlite) takes seconds, many more on a busy machine. */
const START_MS = 90_000;

type TPause = NonNullable<TWorkerConfig['pause']>;
const exportPage = (occurrence: number): TPause => ({ operation: 'backup', phase: 'exporting', occurrence });
const restoreBatch = (occurrence: number): TPause => ({ operation: 'restore', phase: 'restoring', occurrence });

/** The file a backup leaves at a given point: its temporary file while written, its final name once renamed. */
const fileAt = (deps: TBackupDeps, filename: string, renamed: boolean) =>
  path.join(deps.backupDir, renamed ? filename : `.tmp-${filename}`);

/** Waits for the worker to stop at its pause, and returns where it is. */
const pausedAt = (worker: TWorkerProcess): Promise<TProgress> => settlesWithin(worker.paused, START_MS);

describe('crashes: a backup process killed at any point leaves nothing that looks complete once the next one starts', {
  timeout: 180_000,
}, () => {
  const keyHex = randomKeyHex();

  // Registered per engine, not skipped: a process's connections and a
  // server-side lock exist on PostgreSQL only; the embedded database is
  // checked for what it has, a crash mid-backup and the next process's clean-up.
  if (testEngine() === 'postgres') {
    describe('on PostgreSQL', () => {
      let db: TTestDb;
      let deps: ReturnType<typeof createTestBackupDeps>;
      let injector: TFaultInjector;
      let backupId: string;
      const config = (extra: Pick<TWorkerConfig, 'operation'> & Partial<TWorkerConfig>): TWorkerConfig => ({
        target: db.target as TWorkerConfig['target'],
        backupDir: deps.backupDir,
        keyHex,
        ...extra,
      });
      /** kill -9, then wait until the server has ended the dead process's sessions (and with them its lock). */
      const kill = async (worker: TWorkerProcess) => {
        worker.kill();
        expect((await settlesWithin(worker.exited, BOUND_MS)).signal).toBe('SIGKILL');
        await injector.waitUntil((sessions) => !sessions.some((s) => s.applicationName.startsWith('erp-backup:')));
      };

      beforeAll(async () => {
        db = await createTestDb();
        deps = createTestBackupDeps(db, { keyring: createKeyring(keyHex) });
        await insertEdgeValues(db.prisma);
        injector = await openFaultInjector((db.target as { url: string }).url);
        backupId = (await createBackup({}, deps)).id;
      });
      afterAll(async () => {
        await injector.close();
        deps.cleanup();
        await db.close();
      });

      it.each([
        ['mid-export', exportPage(2), false, false],
        ['with its temporary file complete', { operation: 'backup', phase: 'finishing', occurrence: 1 } as TPause, false, false],
        [
          'after the rename, before the row says COMPLETED',
          { operation: 'backup', phase: 'uploading', occurrence: 1 } as TPause,
          true,
          true,
        ],
      ])('a backup killed %s', async (_name, pause, renamed, offsite) => {
        const offsiteDir = offsite ? fs.mkdtempSync(path.join(os.tmpdir(), 'erp-offsite-')) : undefined;
        const worker = startWorker(config({ operation: 'create', pause, offsiteDir }));
        const progress = await pausedAt(worker);
        const row = await db.prisma.backup.findUniqueOrThrow({ where: { id: progress.id } });
        expect(row.status).toBe('RUNNING');
        expect(fs.existsSync(fileAt(deps, row.filename, renamed))).toBe(true);
        await kill(worker);
        // The next process to start cleans up: the dead one's lock session is gone, so its row is provably orphaned.
        expect(await recoverInterrupted(deps)).toBe(1);
        await expectCleanFailure(deps, row.id, /Interrupted/);
        if (offsiteDir) fs.rmSync(offsiteDir, { recursive: true, force: true });
      });

      it('a restore killed after writing every row, at its last statement before COMMIT (its outcome row), changes nothing and records no outcome', async () => {
        await db.prisma.school.update({ where: { id: 'school_edge' }, data: { name: 'Changed after the backup' } });
        const before = await dumpTables(db.prisma);
        const since = new Date();
        const worker = startWorker(config({ operation: 'restore', backupId, pause: restoreBatch(1) }));
        await pausedAt(worker);
        // The outcome row is the restore transaction's last statement: make it wait there.
        const auditLog = await injector.holdTableLock('AuditLog', 'SHARE');
        worker.go();
        await injector.waitForSession(
          (s) => s.applicationName === 'erp-backup:restore' && s.waitEventType === 'Lock' && /AuditLog/.test(s.query),
        );
        worker.kill();
        await settlesWithin(worker.exited, BOUND_MS);
        await auditLog.release();
        await injector.waitUntil((sessions) => !sessions.some((s) => s.applicationName.startsWith('erp-backup:')));
        expect(await dumpTables(db.prisma)).toEqual(before);
        const audit = await db.prisma.auditLog.findMany({ where: { createdAt: { gte: since } }, select: { action: true } });
        expect(audit.map((row) => row.action)).toEqual(['backup.restore.started']);
        await expectLockFree(deps);
      });

      it.each([
        ['a backup', 'create' as const, exportPage(2)],
        ['a restore', 'restore' as const, restoreBatch(2)],
      ])(
        '%s whose every connection is cut reports the failure and its process ends on its own with code 1',
        async (_name, operation, pause) => {
          const before = await dumpTables(db.prisma);
          const worker = startWorker(config({ operation, backupId, pause }));
          await pausedAt(worker);
          expect(await injector.terminate('*')).toBeGreaterThan(0);
          worker.go();
          // Not 13 (a promise left pending when the event loop emptied), not a hang.
          const end = await settlesWithin(worker.exited, BOUND_MS);
          expect(end.code, end.stderr).toBe(1);
          expect(end.result).toMatchObject({
            success: false,
            error: expect.stringMatching(/connection to the database was lost|operation lock was lost/),
          });
          expect(await dumpTables(db.prisma)).toEqual(before);
          await expectNothingHalfWritten(deps);
          expect(await db.prisma.backup.count({ where: { status: 'RUNNING' } })).toBe(0);
          await expectLockFree(deps);
        },
      );
    });
  } else {
    describe('on the embedded database', () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-crash-'));
      const dataDir = path.join(tmp, 'data');
      const backupDir = path.join(tmp, 'backups');
      beforeAll(async () => {
        const db = await createDb({ kind: 'pglite', dataDir });
        await applyMigrations(db.database.adapterFactory);
        await insertEdgeValues(db.prisma);
        await db.close();
      });
      afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

      it('a process killed mid-backup: the next process to open the database cleans up', async () => {
        const worker = startWorker({ target: { kind: 'pglite', dataDir }, backupDir, keyHex, operation: 'create', pause: exportPage(2) });
        const progress = await pausedAt(worker);
        worker.kill();
        await settlesWithin(worker.exited, BOUND_MS);
        // The dead process's claim on the data directory is stale and taken over.
        const db = await createDb({ kind: 'pglite', dataDir });
        try {
          const deps: TBackupDeps = { db, backupDir, keyring: createKeyring(keyHex), audit: { actorId: null } };
          const row = await db.prisma.backup.findUniqueOrThrow({ where: { id: progress.id } });
          expect(row.status).toBe('RUNNING');
          expect(fs.existsSync(fileAt(deps, row.filename, false))).toBe(true);
          expect(await recoverInterrupted(deps)).toBe(1);
          await expectCleanFailure(deps, row.id, /Interrupted/);
          expect((await createBackup({}, deps)).status).toBe('COMPLETED');
        } finally {
          await db.close();
        }
      });
    });
  }
});
