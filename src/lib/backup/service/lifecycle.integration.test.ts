import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BackupError } from '@/lib/backup/errors/errors';
import { schemaModelsOf } from '@/lib/backup/schema/prisma-models';
import { createBackup, deleteBackup, listBackups, recoverInterrupted, restoreBackup } from '@/lib/backup/service';
import { createDb } from '@/lib/db/client';
import { useBackupTestbed } from '@/test/backup-testbed';
import { dumpTables } from '@/test/table-dump';
import { testEngine } from '@/test/test-db';

describe('backup lifecycle', () => {
  const bed = useBackupTestbed();

  it('backs up every model of the schema, including one added later with no code change', async () => {
    await bed.db.prisma.$executeRawUnsafe(
      'CREATE TABLE "BusInspection" ("id" SERIAL PRIMARY KEY, "routeId" TEXT NOT NULL REFERENCES "TransportRoute"("id"), "passed" BOOLEAN NOT NULL)',
    );
    await bed.db.prisma.$executeRawUnsafe(
      `INSERT INTO "TransportRoute" (id, "schoolId", name, "vehicleNumber", "driverName", capacity, "monthlyFee") VALUES ('r1', 'school_edge', 'North', 'BUS-1', 'Ana', 40, 12.5)`,
    );
    await bed.db.prisma.$executeRawUnsafe(`INSERT INTO "BusInspection" ("routeId", passed) VALUES ('r1', true), ('r1', false)`);
    // The schema as it would be after adding `model BusInspection` to schema.prisma and migrating.
    const schemaModels = [
      ...schemaModelsOf(bed.db.prisma),
      {
        name: 'BusInspection',
        table: 'BusInspection',
        fields: ['id', 'routeId', 'passed'].map((name) => ({ name, column: name, type: 'String' })),
      },
    ];
    const extended = { ...bed.deps, schemaModels };
    const backup = await createBackup({}, extended);
    expect(backup.models).toContain('BusInspection');
    expect(backup.rowCounts?.BusInspection).toBe(2);
    // Dependency order: the new model comes after the model it references.
    expect(backup.models.indexOf('BusInspection')).toBeGreaterThan(backup.models.indexOf('TransportRoute'));

    await bed.db.prisma.$executeRawUnsafe('DELETE FROM "BusInspection"');
    const result = await restoreBackup(backup.id, { confirm: true, safetyBackup: false }, extended);
    expect(result.perModel.BusInspection).toBe(2);
    const [next] = await bed.db.prisma.$queryRawUnsafe<{ id: number }[]>(
      `INSERT INTO "BusInspection" ("routeId", passed) VALUES ('r1', true) RETURNING id`,
    );
    expect(next?.id).toBe(3);
    await bed.db.prisma.$executeRawUnsafe('DROP TABLE "BusInspection"');
    await bed.db.prisma.transportRoute.deleteMany();
  });

  it('reads every model in the client data model from a table', () => {
    const names = schemaModelsOf(bed.db.prisma).map((model) => model.name);
    expect(names).toHaveLength(37);
    expect(names).toEqual(
      expect.arrayContaining([
        'School',
        'AttendanceRecord',
        'StudentGuardian',
        'Backup',
        'AuditLog',
        'BackupSchedule',
        'BackupScheduleRun',
        'BackupIncident',
        'BackupChunk',
      ]),
    );
  });

  it('refuses a second backup while one runs: a backup or restore is already running', async () => {
    const results = await Promise.allSettled([createBackup({}, bed.deps), createBackup({}, bed.deps)]);
    const rejected = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(rejected).toHaveLength(1);
    expect((rejected[0] as PromiseRejectedResult).reason.message).toBe('a backup or restore is already running');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  // Registered on PostgreSQL only, not skipped elsewhere: the embedded database is
  // only ever open in one process, which pglite-holder.test.ts covers.
  if (testEngine() === 'postgres') {
    it('refuses a backup from another connection pool on the same PostgreSQL database while one runs', async () => {
      const other = await createDb(bed.db.target);
      try {
        const otherDeps = { ...bed.deps, db: { ...bed.db, ...other } };
        const results = await Promise.allSettled([createBackup({}, bed.deps), createBackup({}, otherDeps)]);
        expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
        // Once both are done the lock is free again, for either connection pool.
        expect((await createBackup({}, otherDeps)).status).toBe('COMPLETED');
        expect((await createBackup({}, bed.deps)).status).toBe('COMPLETED');
      } finally {
        await other.close();
      }
    });
  }

  it('marks a backup left RUNNING by a dead process FAILED and removes its files', async () => {
    const row = await bed.db.prisma.backup.create({
      data: { filename: 'backup-20260101T000000Z-deadbeef.enc', type: 'MANUAL', status: 'RUNNING', models: [] },
    });
    fs.writeFileSync(path.join(bed.deps.backupDir, row.filename), 'partial');
    fs.writeFileSync(path.join(bed.deps.backupDir, `.tmp-${row.filename}`), 'partial');
    // A scrub's repair of a local copy killed mid-write.
    fs.writeFileSync(path.join(bed.deps.backupDir, `.tmp-0123456789ab-backup-20260101T000000Z-cafef00d.enc`), 'partial');
    expect(await recoverInterrupted(bed.deps)).toBe(1);
    expect(fs.readdirSync(bed.deps.backupDir).filter((name) => name.includes('cafef00d'))).toEqual([]);
    const after = await bed.db.prisma.backup.findUniqueOrThrow({ where: { id: row.id } });
    expect(after.status).toBe('FAILED');
    expect(after.error).toMatch(/Interrupted/);
    expect(fs.readdirSync(bed.deps.backupDir).filter((name) => name.includes('deadbeef'))).toEqual([]);
  });

  it('deletes a backup: file removed, row DELETED and out of the list', async () => {
    const backup = await createBackup({}, bed.deps);
    const result = await deleteBackup(backup.id, bed.deps);
    expect(result).toEqual({ id: backup.id, fileExisted: true, cloudCopyExisted: null });
    expect(fs.existsSync(path.join(bed.deps.backupDir, backup.filename))).toBe(false);
    expect((await listBackups(bed.deps)).map((b) => b.id)).not.toContain(backup.id);
    expect((await listBackups(bed.deps, { includeDeleted: true })).find((b) => b.id === backup.id)?.status).toBe('DELETED');
    await expect(restoreBackup(backup.id, { confirm: true }, bed.deps)).rejects.toThrow(/DELETED/);
  });

  it('restoring a backup whose file is gone: Backup file not found on disk', async () => {
    const backup = await createBackup({}, bed.deps);
    fs.rmSync(path.join(bed.deps.backupDir, backup.filename));
    await expect(restoreBackup(backup.id, { confirm: true }, bed.deps)).rejects.toThrow('Backup file not found on disk');
  });

  it('a full disk fails the backup with a clear error, removes the partial file and records FAILED', async () => {
    // A real 256 KiB filesystem (tmpfs; CI runs as root), filled by the backup of 640 KB of incompressible bytes.
    const mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', mountPoint]);
    try {
      await bed.db.prisma.document.create({
        data: {
          schoolId: 'school_edge',
          title: 'Scan',
          mimeType: 'image/png',
          sizeBytes: 1_000_000n,
          sha256: 'x',
          content: Buffer.alloc(0),
        },
      });
      await bed.db.prisma.$executeRawUnsafe(
        `UPDATE "Document" SET content = (SELECT decode(string_agg(md5(random()::text), ''), 'hex') FROM generate_series(1, 40000)) WHERE title = 'Scan'`,
      );
      const before = await dumpTables(bed.db.prisma);
      const error = (await createBackup({}, { ...bed.deps, backupDir: mountPoint }).catch((e: unknown) => e)) as BackupError;
      expect(error.code).toBe('NO_SPACE');
      expect(error.message).toMatch(/ENOSPC/);
      expect(fs.readdirSync(mountPoint)).toEqual([]);
      const failed = await bed.db.prisma.backup.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
      expect(failed.status).toBe('FAILED');
      expect(await dumpTables(bed.db.prisma)).toEqual(before);
    } finally {
      execFileSync('umount', [mountPoint]);
      fs.rmSync(mountPoint, { recursive: true, force: true });
      await bed.db.prisma.document.deleteMany({ where: { title: 'Scan' } });
    }
  });
});
