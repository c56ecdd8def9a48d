import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256File } from '@/lib/backup/crypto/encrypted-file';
import type { BackupError } from '@/lib/backup/errors/errors';
import type { TRow } from '@/lib/backup/format/document';
import { readBackupFile } from '@/lib/backup/format/read-backup-file';
import { HISTORY_MODELS } from '@/lib/backup/schema/models';
import { createBackup, restoreBackup, verifyBackup } from '@/lib/backup/service';
import { sqlOf } from '@/lib/backup/sql/sql';
import { createTestBackupDeps } from '@/test/backup-deps';
import { writeCraftedBackup } from '@/test/craft-file';
import { writeDocument } from '@/test/document-writer';
import { fillFromCatalog } from '@/test/fill-from-catalog';
import { prepareForeignSchema, type TForeignSchema } from '@/test/foreign-schema';
import { dumpTables } from '@/test/table-dump';
import { createTestDb, type TTestDb } from '@/test/test-db';

const FIXTURE = path.resolve('src/test/fixtures/foreign-schema');

/** The fixture's tables as the engine names them in a backup (join tables by table name, models by model name). */
const JOIN_TABLES = ['_DepartmentTeachers', '_DepartmentHeads', '_Mentorship', '_NoteReaders'];

describe('a Prisma schema unlike the ERP’s (src/test/fixtures/foreign-schema)', () => {
  let fixture: TForeignSchema;
  let db: TTestDb;
  let deps: ReturnType<typeof createTestBackupDeps>;
  const dump = () => dumpTables(db.prisma, undefined, fixture.namespaces);
  const sql = () => sqlOf(db.prisma);

  beforeAll(async () => {
    fixture = await prepareForeignSchema(FIXTURE);
    db = await createTestDb(fixture.paths);
    deps = createTestBackupDeps(db, { schemaModels: await fixture.schemaModels(db.database.adapterFactory) });
    await fillFromCatalog(sql(), { namespaces: fixture.namespaces, skip: [...HISTORY_MODELS] });
    // The first run generates the client and the migration (tens of seconds on a busy machine); later runs reuse them.
  }, 300_000);
  afterAll(async () => {
    deps?.cleanup();
    await db?.close();
  });

  it('backs up every table the schema owns and restores each one exactly after the data was wrecked', async () => {
    const before = await dump();
    // 9 models and 4 implicit many-to-many tables, in two PostgreSQL schemas, every one filled.
    expect(Object.keys(before)).toHaveLength(13);
    for (const [table, rows] of Object.entries(before)) expect(rows.length, table).toBeGreaterThan(0);

    const backup = await createBackup({}, deps);
    expect(backup.models).toEqual(expect.arrayContaining([...JOIN_TABLES, 'VerificationToken', 'ArchivedNote', 'Node', 'CourseSection']));
    // Its 13 tables, besides the backup module's own history and settings.
    expect(backup.models.filter((model) => !HISTORY_MODELS.has(model))).toHaveLength(13);
    for (const join of ['_DepartmentTeachers', '_DepartmentHeads']) {
      expect(backup.models.indexOf(join)).toBeGreaterThan(backup.models.indexOf('Department'));
      expect(backup.models.indexOf(join)).toBeGreaterThan(backup.models.indexOf('Teacher'));
    }
    expect(backup.rowCounts?._NoteReaders).toBe(before['archive._NoteReaders']?.length);
    const verified = await verifyBackup(backup.id, deps);
    expect(verified.checks.find((check) => check.name === 'tables')).toEqual({
      name: 'tables',
      ok: true,
      detail: `${backup.models.length} tables: every table the schema owns`,
    });
    expect(verified.valid).toBe(true);

    await sql().execute('TRUNCATE "_DepartmentTeachers", "archive"."verification tokens"');
    await sql().execute('DELETE FROM "Node" WHERE id > 3');
    await sql().execute(`UPDATE "Teacher" SET roles = '{}', "Full Name" = 'changed'`);
    await sql().execute(`UPDATE "archive"."ArchivedNote" SET body = '{"changed":true}'`);
    await sql().execute(`INSERT INTO "Department's Units" (name, budget) VALUES ('added after the backup', 1)`);
    expect(await dump()).not.toEqual(before);

    const result = await restoreBackup(backup.id, { confirm: true }, deps);
    expect(await dump()).toEqual(before);
    expect(result.recordsRestored).toBe(Object.values(before).reduce((sum, rows) => sum + rows.length, 0));
    expect(result.modelsNotInBackup).toEqual([]);
    expect(result.perModel._Mentorship).toBe(before._Mentorship?.length);
  });

  it('refuses to back up a database holding a table it cannot place, and records the failure; restores still work', async () => {
    const earlier = await createBackup({}, deps);
    await sql().execute('CREATE TABLE "archive"."stray" (id integer PRIMARY KEY)');
    try {
      const error = (await createBackup({}, deps).catch((e: unknown) => e)) as BackupError;
      expect(error.message).toMatch(/table\(s\) the Prisma schema does not describe: "archive\.stray"\. A backup must hold every table/);
      const failed = await db.prisma.backup.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
      expect(failed.status).toBe('FAILED');
      expect(failed.error).toBe(error.message);
      const audit = await db.prisma.auditLog.findFirstOrThrow({ where: { targetId: failed.id } });
      expect([audit.action, audit.outcome]).toEqual(['backup.created', 'FAILURE']);
      // A stray table must not block a disaster recovery: the restore touches only the schema's tables.
      expect((await verifyBackup(earlier.id, deps)).valid).toBe(true);
      expect((await restoreBackup(earlier.id, { confirm: true, safetyBackup: false }, deps)).modelsNotInBackup).toEqual([]);
    } finally {
      await sql().execute('DROP TABLE "archive"."stray"');
    }
  });

  it('verify fails a file that lacks a table the schema owns (as the engine used to write them), and a restore empties it and says so', async () => {
    const backup = await createBackup({}, deps);
    const filePath = path.join(deps.backupDir, backup.filename);
    // The same backup without one many-to-many table, recorded as such: what the earlier engine wrote.
    const rowsByModel = new Map<string, TRow[]>();
    let fileHeader: Parameters<typeof writeDocument>[0] | null = null;
    for await (const event of readBackupFile(filePath, deps.keyring.current)) {
      if (event.kind === 'header') fileHeader = event.header;
      if (event.kind === 'rows') rowsByModel.set(event.model, [...(rowsByModel.get(event.model) ?? []), ...event.rows]);
    }
    if (!fileHeader) throw new Error('no header');
    const kept = fileHeader.models.filter((model) => model.name !== '_DepartmentHeads');
    const chunks: string[] = [];
    for await (const chunk of writeDocument(
      { ...fileHeader, models: kept },
      kept.map((model) => ({ name: model.name, pages: pagesOf(rowsByModel.get(model.name) ?? []) })),
    ))
      chunks.push(chunk);
    fs.rmSync(filePath);
    await writeCraftedBackup(filePath, deps.keyring.current, chunks);
    await db.prisma.backup.update({
      where: { id: backup.id },
      data: {
        sha256: await sha256File(filePath),
        sizeBytes: BigInt(fs.statSync(filePath).size),
        models: kept.map((model) => model.name),
        rowCounts: Object.fromEntries(kept.map((model) => [model.name, model.rowCount])),
      },
    });

    const verified = await verifyBackup(backup.id, deps);
    expect(verified.valid).toBe(false);
    expect(verified.checks.at(-1)).toEqual({
      name: 'tables',
      ok: false,
      detail: 'tables the schema owns are not in the file: _DepartmentHeads (a restore would empty them)',
    });
    const restored = await restoreBackup(backup.id, { confirm: true, safetyBackup: false }, deps);
    expect(restored.modelsNotInBackup).toEqual(['_DepartmentHeads']);
    const [heads] = await sql().query<{ n: string }>('SELECT count(*)::text AS n FROM "_DepartmentHeads"');
    expect(heads?.n).toBe('0');
  });
});

async function* pagesOf(rows: TRow[]) {
  yield rows;
}
