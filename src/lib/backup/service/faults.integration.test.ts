import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupError } from '@/lib/backup/errors/errors';
import { createBackup, recoverInterrupted, restoreBackup, restoreFromFile, type TBackupDeps, verifyBackup } from '@/lib/backup/service';
import { LocalStorage } from '@/lib/backup/storage';
import { createDb, type TDb } from '@/lib/db/client';
import { useBackupTestbed } from '@/test/backup-testbed';
import { at, expectCleanFailure, expectNothingHalfWritten, exporting, gate, restoring } from '@/test/fault-expectations';
import { openFaultInjector, settlesWithin, type TFaultInjector } from '@/test/pg-faults';
import { dumpTables } from '@/test/table-dump';
import { testEngine } from '@/test/test-db';

/** Every operation here must settle within this, whatever is done to its connections. */
const BOUND_MS = 20_000;

const failureOf = (promise: Promise<unknown>) =>
  settlesWithin(promise, BOUND_MS).then(
    () => {
      throw new Error('expected the operation to fail');
    },
    (error: unknown) => error as BackupError,
  );

/** Row counts of the ERP's data, without the backup module's own history (which every operation adds to). */
const dataCounts = (rowCounts: Record<string, number> | null) =>
  Object.fromEntries(Object.entries(rowCounts ?? {}).filter(([model]) => model !== 'Backup' && model !== 'AuditLog'));

const latestBackup = (deps: TBackupDeps, type: 'MANUAL' | 'PRE_RESTORE' = 'MANUAL') =>
  deps.db.prisma.backup.findFirstOrThrow({ where: { type }, orderBy: { createdAt: 'desc' } });

describe('faults: every failure ends in a clear error, a FAILED row, no half-written file and a free lock', () => {
  const bed = useBackupTestbed();

  it('a full disk during a restore’s safety backup: the restore was not started, and says so', async () => {
    const backup = await createBackup({}, bed.deps);
    const file = path.join(os.tmpdir(), `erp-fault-${backup.filename}`);
    fs.copyFileSync(path.join(bed.deps.backupDir, backup.filename), file);
    // A real 256 KiB filesystem (tmpfs; CI runs as root) as BACKUP_DIR, too small for the safety backup of 640 KB of random bytes.
    const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]);
    try {
      await bed.db.prisma.$executeRawUnsafe(
        `INSERT INTO "Document" (id, "schoolId", title, "mimeType", "sizeBytes", sha256, content)
         SELECT 'doc_scan', 'school_edge', 'Scan', 'image/png', 640000, 'x', decode(string_agg(md5(random()::text), ''), 'hex') FROM generate_series(1, 40000)`,
      );
      const before = await dumpTables(bed.db.prisma);
      const full = { ...bed.deps, backupDir: mountPoint };
      const error = await failureOf(restoreFromFile(file, { confirm: true }, full));
      expect(error.code).toBe('NO_SPACE');
      expect(error.message).toBe(
        'The safety backup before the restore failed: not enough disk space to write the backup (ENOSPC): free space in BACKUP_DIR and try again. The restore was not started; nothing was changed.',
      );
      expect(await dumpTables(bed.db.prisma)).toEqual(before);
      expect(fs.readdirSync(mountPoint)).toEqual([]);
      expect((await latestBackup(bed.deps, 'PRE_RESTORE')).status).toBe('FAILED');
      const audit = await bed.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'backup.restored' }, orderBy: { id: 'desc' } });
      expect(audit.outcome).toBe('FAILURE');
    } finally {
      execFileSync('umount', [mountPoint]);
      fs.rmSync(mountPoint, { recursive: true, force: true });
      fs.rmSync(file, { force: true });
      await bed.db.prisma.document.deleteMany({ where: { id: 'doc_scan' } });
    }
  });

  it('a failure while marking a backup FAILED: the caller still gets the original error, and the failure is audited and logged', async () => {
    const logged: string[] = [];
    // The database refuses the FAILED update, as an unreachable one would.
    await bed.db.prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_failed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.status = 'FAILED' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await bed.db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_failed BEFORE UPDATE ON "Backup" FOR EACH ROW EXECUTE FUNCTION refuse_failed()`,
    );
    try {
      const deps: TBackupDeps = {
        ...bed.deps,
        log: (message) => logged.push(message),
        onProgress: at(exporting, async () => {
          throw new Error('injected failure');
        }),
      };
      const error = await failureOf(createBackup({}, deps));
      expect(error.message).toBe('injected failure');
      const row = await latestBackup(bed.deps);
      expect(row.status).toBe('RUNNING');
      const audit = await bed.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'backup.created', targetId: row.id } });
      expect(audit.outcome).toBe('FAILURE');
      expect(logged.some((line) => line.startsWith(`Backup ${row.id} could not be marked FAILED`))).toBe(true);
    } finally {
      await bed.db.prisma.$executeRawUnsafe('DROP TRIGGER refuse_failed ON "Backup"');
      await bed.db.prisma.$executeRawUnsafe('DROP FUNCTION refuse_failed()');
    }
    // The next start-up's clean-up finishes the job.
    expect(await recoverInterrupted(bed.deps)).toBe(1);
    await expectCleanFailure(bed.deps, (await latestBackup(bed.deps, 'MANUAL')).id, /Interrupted/);
  });

  it('a backup that fails after its upload finished removes the uploaded copy too', async () => {
    const offsiteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-offsite-'));
    await bed.db.prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_completed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.status = 'COMPLETED' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$`);
    await bed.db.prisma.$executeRawUnsafe(
      `CREATE TRIGGER refuse_completed BEFORE UPDATE ON "Backup" FOR EACH ROW EXECUTE FUNCTION refuse_completed()`,
    );
    try {
      const deps: TBackupDeps = { ...bed.deps, offsite: { mode: 'both', storage: new LocalStorage(offsiteDir) } };
      await failureOf(createBackup({}, deps));
      expect(fs.readdirSync(offsiteDir)).toEqual([]);
    } finally {
      await bed.db.prisma.$executeRawUnsafe('DROP TRIGGER refuse_completed ON "Backup"');
      await bed.db.prisma.$executeRawUnsafe('DROP FUNCTION refuse_completed()');
      fs.rmSync(offsiteDir, { recursive: true, force: true });
    }
    await expectCleanFailure(bed.deps, (await latestBackup(bed.deps)).id, /unexpectedly/);
  });

  // Registered on PostgreSQL only, not skipped elsewhere: the embedded database
  // runs in this process, so it has no connection that can die, and its lock is
  // an in-process flag.
  if (testEngine() === 'postgres') {
    describe('on PostgreSQL, when a connection dies', () => {
      let injector: TFaultInjector;
      let backupId: string;
      beforeAll(async () => {
        injector = await openFaultInjector((bed.db.target as { url: string }).url);
        backupId = (await createBackup({}, bed.deps)).id;
      });
      afterAll(() => injector.close());

      /** Terminates the sessions named `name` at the hook's moment, checking there was one. */
      const terminate = (name: string) => async () => {
        expect(await injector.terminate(name)).toBeGreaterThan(0);
      };
      const CONNECTION_LOST = /connection to the database was lost/;
      const LOCK_LOST = /operation lock was lost/;
      const EITHER_LOST = /connection to the database was lost|operation lock was lost/;

      it.each([
        ['the export’s snapshot connection, at the first page', 'erp-backup:export', 1, CONNECTION_LOST, /^DATABASE_UNAVAILABLE$/],
        ['the export’s snapshot connection, at a later page', 'erp-backup:export', 6, CONNECTION_LOST, /^DATABASE_UNAVAILABLE$/],
        ['the lock’s connection, mid-export', 'erp-backup:lock', 2, LOCK_LOST, /^LOCK_LOST$/],
        // Every session of the lock and the export ends together: either may be noticed first.
        ['every connection, mid-export', '*', 3, EITHER_LOST, /DATABASE_UNAVAILABLE|LOCK_LOST/],
      ])('a backup fails cleanly when %s dies', async (_name, victim, page, message, code) => {
        const deps = { ...bed.deps, onProgress: at(exporting, terminate(victim), page) };
        const error = await failureOf(createBackup({}, deps));
        expect(error.code).toMatch(code);
        expect(error.message).toMatch(message);
        expect(error.message).not.toMatch(/\.\./);
        await expectCleanFailure(bed.deps, (await latestBackup(bed.deps)).id, message);
      });

      it('a backup whose lock dies after the file is written stops before putting it in place', async () => {
        const deps = { ...bed.deps, onProgress: at((p) => p.phase === 'finishing', terminate('erp-backup:lock')) };
        const error = await failureOf(createBackup({}, deps));
        expect(error.message).toMatch(/operation lock was lost .*stopped before putting the backup file in place/);
        await expectCleanFailure(bed.deps, (await latestBackup(bed.deps)).id, /operation lock was lost/);
      });

      it('a backup whose pool connection dies while recording COMPLETED removes its renamed file and is marked FAILED on a new one', async () => {
        let rowLock: { release(): Promise<void> } | undefined;
        const deps = {
          ...bed.deps,
          onProgress: at(
            (p) => p.phase === 'finishing',
            async (p) => {
              rowLock = await injector.holdInTransaction('SELECT 1 FROM "Backup" WHERE id = $1 FOR UPDATE', [p.id]);
            },
          ),
        };
        const running = failureOf(createBackup({}, deps));
        const update = await injector.waitForSession((s) => s.applicationName === 'erp' && s.waitEventType === 'Lock');
        expect(update.query).toMatch(/UPDATE "public"."Backup"/);
        const row = await latestBackup(bed.deps);
        // Renamed into place, not yet recorded: the state a failure here must undo.
        expect(fs.existsSync(path.join(bed.deps.backupDir, row.filename))).toBe(true);
        expect(await injector.terminate('erp')).toBeGreaterThan(0);
        await rowLock?.release();
        const error = await running;
        expect(error.code).toBe('DATABASE_UNAVAILABLE');
        await expectCleanFailure(bed.deps, row.id, CONNECTION_LOST);
      });

      it('a backup survives the pool’s idle connections dying: it gets new ones and completes', async () => {
        const deps = { ...bed.deps, onProgress: at(exporting, terminate('erp'), 2) };
        const backup = await settlesWithin(createBackup({}, deps), BOUND_MS);
        expect(backup.status).toBe('COMPLETED');
        expect((await verifyBackup(backup.id, bed.deps)).valid).toBe(true);
      });

      it.each([
        [
          'the restore’s transaction, at the first batch',
          'erp-backup:restore',
          1,
          /^Restore failed: the connection to the database was lost/,
        ],
        [
          'the restore’s transaction, at a later batch',
          'erp-backup:restore',
          6,
          /^Restore failed: the connection to the database was lost/,
        ],
        ['the lock’s connection, mid-restore', 'erp-backup:lock', 3, /operation lock was lost .*stopped before committing the restore/],
        ['every connection, mid-restore', '*', 4, /^Restore failed: the connection to the database was lost|operation lock was lost/],
      ])('a restore changes nothing when %s dies', async (_name, victim, batch, message) => {
        await bed.db.prisma.school.update({ where: { id: 'school_edge' }, data: { name: 'Changed after the backup' } });
        const before = await dumpTables(bed.db.prisma);
        const deps = { ...bed.deps, onProgress: at(restoring, terminate(victim), batch) };
        const error = await failureOf(restoreBackup(backupId, { confirm: true, safetyBackup: false }, deps));
        expect(error.message).toMatch(message);
        expect(error.message).toMatch(/[Nn]othing was changed/);
        expect(error.message).not.toMatch(/\.\./);
        expect(await dumpTables(bed.db.prisma)).toEqual(before);
        const audit = await bed.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'backup.restored' }, orderBy: { id: 'desc' } });
        expect(audit).toMatchObject({ outcome: 'FAILURE', targetId: backupId });
        await expectCleanFailure(bed.deps, null, /./);
      });

      it('a restore whose connection dies during its COMMIT reports that nothing was changed, as the database confirms', async () => {
        await bed.db.prisma.school.update({ where: { id: 'school_edge' }, data: { name: 'Changed after the backup' } });
        const before = await dumpTables(bed.db.prisma);
        // Holds the COMMIT: a deferred trigger on the restore's outcome row, which runs during COMMIT.
        await bed.db.prisma.$executeRawUnsafe(`CREATE FUNCTION slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF NEW.action = 'backup.restored' AND NEW.outcome = 'SUCCESS' THEN PERFORM pg_sleep(60); END IF; RETURN NULL; END $$`);
        await bed.db.prisma.$executeRawUnsafe(`CREATE CONSTRAINT TRIGGER slow_commit AFTER INSERT ON "AuditLog"
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow_commit()`);
        try {
          const running = failureOf(restoreBackup(backupId, { confirm: true, safetyBackup: false }, bed.deps));
          await injector.waitForSession((s) => s.applicationName === 'erp-backup:restore' && s.query === 'COMMIT' && s.state === 'active');
          expect(await injector.terminate('erp-backup:restore')).toBe(1);
          const error = await running;
          expect(error.message).toMatch(/^Restore failed: the connection to the database was lost .*Nothing was changed\./);
          expect(await dumpTables(bed.db.prisma)).toEqual(before);
        } finally {
          await bed.db.prisma.$executeRawUnsafe('DROP TRIGGER slow_commit ON "AuditLog"');
          await bed.db.prisma.$executeRawUnsafe('DROP FUNCTION slow_commit()');
        }
        await expectCleanFailure(bed.deps, null, /./);
      });

      it('and once the connections are back, the same restore works and records its outcome', async () => {
        const restored = await settlesWithin(restoreBackup(backupId, { confirm: true, safetyBackup: false }, bed.deps), BOUND_MS);
        expect(restored.recordsRestored).toBeGreaterThan(0);
        expect((await bed.db.prisma.school.findUniqueOrThrow({ where: { id: 'school_edge' } })).name).not.toBe('Changed after the backup');
        const outcome = await bed.db.prisma.auditLog.findFirstOrThrow({ where: { action: 'backup.restored' }, orderBy: { id: 'desc' } });
        expect(outcome.outcome).toBe('SUCCESS');
      });

      it('a restore whose safety backup loses its connection is not started, and says so', async () => {
        await bed.db.prisma.school.update({ where: { id: 'school_edge' }, data: { name: 'Changed after the backup' } });
        const before = await dumpTables(bed.db.prisma);
        const deps = { ...bed.deps, onProgress: at(exporting, terminate('erp-backup:export'), 2) };
        const error = await failureOf(restoreBackup(backupId, { confirm: true }, deps));
        expect(error.message).toMatch(
          /^The safety backup before the restore failed: the connection to the database was lost .*, so no backup was made\. .*The restore was not started; nothing was changed\.$/,
        );
        expect(await dumpTables(bed.db.prisma)).toEqual(before);
        await expectCleanFailure(bed.deps, (await latestBackup(bed.deps, 'PRE_RESTORE')).id, CONNECTION_LOST);
      });

      it('keeps the lock through idle_in_transaction_session_timeout = 1s: a second operation waits its turn', async () => {
        const [database] = await injector.query<{ name: string }>('SELECT current_database() AS name');
        const name = database?.name as string;
        await injector.query(`ALTER DATABASE "${name}" SET idle_in_transaction_session_timeout = '1s'`);
        let strict: TDb | undefined;
        try {
          // New sessions get the setting: a connection pool of its own.
          strict = await createDb(bed.db.target);
          const strictDeps = { ...bed.deps, db: strict };
          const table = await injector.holdTableLock('Student');
          const running = settlesWithin(createBackup({}, strictDeps), BOUND_MS);
          await injector.waitForSession((s) => s.applicationName === 'erp-backup:export' && s.waitEventType === 'Lock');
          // A transaction left idle now ends within a second; the operation's lock must not.
          const canary = new pg.Client({ connectionString: (bed.db.target as { url: string }).url });
          const canaryEnded = new Promise((resolve) => canary.on('error', resolve));
          await canary.connect();
          await canary.query('BEGIN');
          await settlesWithin(canaryEnded, BOUND_MS);
          await canary.end();
          await expect(createBackup({}, bed.deps)).rejects.toThrow('a backup or restore is already running');
          await table.release();
          const backup = await running;
          expect(backup.status).toBe('COMPLETED');
          expect((await verifyBackup(backup.id, strictDeps)).valid).toBe(true);
          const restored = await settlesWithin(restoreBackup(backup.id, { confirm: true, safetyBackup: false }, strictDeps), BOUND_MS);
          const history = (backup.rowCounts?.Backup ?? 0) + (backup.rowCounts?.AuditLog ?? 0);
          expect(restored.recordsRestored).toBe((backup.totalRows ?? 0) - history);
        } finally {
          await injector.query(`ALTER DATABASE "${name}" RESET idle_in_transaction_session_timeout`);
          await strict?.close();
        }
      });

      describe('a second instance after the first lost its lock', () => {
        let other: TDb;
        let otherDeps: TBackupDeps;
        beforeAll(async () => {
          other = await createDb(bed.db.target);
          otherDeps = { ...bed.deps, db: other };
        });
        afterAll(() => other.close());

        it('mid-export: the second cleans the first up and backs up; the first stops and leaves nothing', async () => {
          const pause = gate();
          const first = failureOf(createBackup({}, { ...bed.deps, onProgress: at(exporting, pause.wait) }));
          await pause.arrived;
          expect(await injector.terminate('erp-backup:lock')).toBe(1);
          const firstRow = await latestBackup(bed.deps);
          // The first's lock session is gone, so the second's clean-up may take its row over.
          expect(await recoverInterrupted(otherDeps)).toBe(1);
          const second = await createBackup({}, otherDeps);
          pause.open();
          const error = await first;
          expect(error.code).toBe('LOCK_LOST');
          expect((await bed.db.prisma.backup.findUniqueOrThrow({ where: { id: firstRow.id } })).status).toBe('FAILED');
          expect((await verifyBackup(second.id, bed.deps)).valid).toBe(true);
          await expectNothingHalfWritten(bed.deps);
        });

        it('a backup started while a restore that lost its lock is mid-import waits, and saves the data as it was, never half-restored', async () => {
          const before = await dumpTables(bed.db.prisma);
          const counts = await createBackup({}, bed.deps);
          const pause = gate();
          const restore = failureOf(
            restoreBackup(backupId, { confirm: true, safetyBackup: false }, { ...bed.deps, onProgress: at(restoring, pause.wait) }),
          );
          await pause.arrived;
          expect(await injector.terminate('erp-backup:lock')).toBe(1);
          // The second instance gets the lock, and its snapshot waits for the restore's tables.
          const backup = settlesWithin(createBackup({}, otherDeps), BOUND_MS);
          await injector.waitForSession((s) => s.applicationName === 'erp-backup:export' && s.waitEventType === 'Lock');
          pause.open();
          expect((await restore).code).toBe('LOCK_LOST');
          const saved = await backup;
          expect(saved.status).toBe('COMPLETED');
          expect(dataCounts(saved.rowCounts)).toEqual(dataCounts(counts.rowCounts));
          expect(await dumpTables(bed.db.prisma)).toEqual(before);
          expect((await verifyBackup(saved.id, bed.deps)).valid).toBe(true);
        });

        it('before the rename: the first never puts its file in place while the second runs', async () => {
          const pause = gate();
          const first = failureOf(createBackup({}, { ...bed.deps, onProgress: at((p) => p.phase === 'finishing', pause.wait) }));
          await pause.arrived;
          expect(await injector.terminate('erp-backup:lock')).toBe(1);
          const second = await createBackup({}, otherDeps);
          pause.open();
          const error = await first;
          expect(error.message).toMatch(/stopped before putting the backup file in place/);
          expect((await verifyBackup(second.id, bed.deps)).valid).toBe(true);
          await expectCleanFailure(bed.deps, null, /./);
        });
      });
    });
  }
});
