import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyring } from '@/lib/backup/crypto/keys';
import type { BackupError } from '@/lib/backup/errors/errors';
import { collectGarbage, createBackup, recoverInterrupted, verifyBackup } from '@/lib/backup/service';
import { createTestBackupDeps, randomKeyHex } from '@/test/backup-deps';
import { insertEdgeValues } from '@/test/edge-values';
import { at, expectCleanFailure, exporting } from '@/test/fault-expectations';
import type { TWorkerConfig } from '@/test/fault-worker';
import { openFaultInjector, settlesWithin, type TFaultInjector } from '@/test/pg-faults';
import { insertAttendanceHistory, SMALL_CHUNKS } from '@/test/snapshot-fixtures';
import { createTestDb, type TTestDb, testEngine } from '@/test/test-db';
import { startWorker } from '@/test/worker-process';

/** Every operation here must settle within this, whatever is done to its connections. */
const BOUND_MS = 30_000;
/** Starting a backup process takes seconds, more on a busy machine. */
const START_MS = 90_000;
const INCREMENTAL = { kind: 'INCREMENTAL' } as const;

const failureOf = (promise: Promise<unknown>) =>
  settlesWithin(promise, BOUND_MS).then(
    () => {
      throw new Error('expected the snapshot to fail');
    },
    (error: unknown) => error as BackupError,
  );

// PostgreSQL only (skipped on the embedded database, which runs in this
// process: it has no connection that can die, and no other process can
// hold it while this one is killed). CI runs the suite on both.
describe.skipIf(testEngine() !== 'postgres')(
  'snapshot faults on PostgreSQL: a connection that dies or a process killed leaves no manifest, a free lock, and an index that claims only stored chunks',
  () => {
    const keyHex = randomKeyHex();
    let db: TTestDb;
    let deps: ReturnType<typeof createTestBackupDeps>;
    let injector: TFaultInjector;

    beforeAll(async () => {
      db = await createTestDb();
      deps = createTestBackupDeps(db, { keyring: createKeyring(keyHex), chunkSizes: SMALL_CHUNKS });
      await insertEdgeValues(db.prisma);
      await insertAttendanceHistory(db.prisma, 20000);
      injector = await openFaultInjector((db.target as { url: string }).url);
      // A first snapshot, so the ones that fail here share most chunks with a stored one.
      await createBackup(INCREMENTAL, deps);
      await db.prisma.$executeRawUnsafe(`UPDATE "AttendanceRecord" SET note = 'changed ' || id WHERE date < DATE '1960-06-01'`);
    });
    afterAll(async () => {
      await injector.close();
      deps.cleanup();
      await db.close();
    });

    const terminate = (name: string) => async () => {
      expect(await injector.terminate(name)).toBeGreaterThan(0);
    };
    const latest = () => db.prisma.backup.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });

    it.each([
      ['the export’s connection dies mid-export', 'erp-backup:export', /connection to the database was lost/],
      ['the lock’s connection dies mid-export', 'erp-backup:lock', /operation lock was lost/],
    ])('%s: the snapshot fails cleanly', async (_name, victim, message) => {
      const error = await failureOf(createBackup(INCREMENTAL, { ...deps, onProgress: at(exporting, terminate(victim), 2) }));
      expect(error.message).toMatch(message);
      await expectCleanFailure(deps, (await latest()).id, message);
    });

    it('the lock’s connection dies after the chunks are stored: the manifest is never stored', async () => {
      const finishing = at((progress) => progress.phase === 'finishing', terminate('erp-backup:lock'));
      const error = await failureOf(createBackup(INCREMENTAL, { ...deps, onProgress: finishing }));
      expect(error.message).toMatch(/operation lock was lost/);
      const row = await latest();
      expect(fs.existsSync(path.join(deps.backupDir, row.filename))).toBe(false);
      await expectCleanFailure(deps, row.id, /operation lock was lost/);
    });

    it.each([
      ['mid-export', { operation: 'backup', phase: 'exporting', occurrence: 2 }],
      ['with every chunk stored, before the manifest', { operation: 'backup', phase: 'finishing', occurrence: 1 }],
    ] as [string, NonNullable<TWorkerConfig['pause']>][])(
      'a snapshot process killed %s: the next start cleans up, gc collects its chunks, and the next snapshot verifies',
      async (_name, pause) => {
        const worker = startWorker({
          target: db.target as TWorkerConfig['target'],
          backupDir: deps.backupDir,
          keyHex,
          operation: 'create',
          kind: 'INCREMENTAL',
          pause,
        });
        const progress = await settlesWithin(worker.paused, START_MS);
        const row = await db.prisma.backup.findUniqueOrThrow({ where: { id: progress.id } });
        expect(row).toMatchObject({ status: 'RUNNING', kind: 'INCREMENTAL' });
        worker.kill();
        expect((await settlesWithin(worker.exited, BOUND_MS)).signal).toBe('SIGKILL');
        await injector.waitUntil((sessions) => !sessions.some((s) => s.applicationName.startsWith('erp-backup:')));

        expect(await recoverInterrupted(deps)).toBe(1);
        await expectCleanFailure(deps, row.id, /Interrupted/);
        await collectGarbage({}, deps);
        const next = await createBackup(INCREMENTAL, deps);
        expect((await verifyBackup(next.id, deps)).valid).toBe(true);
        await expectCleanFailure(deps, null, /./);
      },
    );
  },
);
