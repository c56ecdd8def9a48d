import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BackupError } from '@/lib/backup/errors/errors';
import { READ_VERSIONS, type TBackupHeader } from '@/lib/backup/format/document';
import { createBackup, restoreBackup, restoreFromFile } from '@/lib/backup/service';
import { useBackupTestbed } from '@/test/backup-testbed';
import { writeCraftedBackup } from '@/test/craft-file';
import { writeDocument } from '@/test/document-writer';
import { insertEdgeValues } from '@/test/edge-values';
import { SCHOOL_COLUMNS, schoolRow } from '@/test/school-rows';
import { dumpTables } from '@/test/table-dump';

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

async function* pagesOf<T>(...pages: T[][]) {
  for (const page of pages) yield page;
}

function header(rowCount: number): TBackupHeader {
  return {
    createdAt: '2026-01-01T00:00:00.000Z',
    migration: null,
    database: 'PostgreSQL test',
    models: [
      { name: 'School', table: 'School', columns: SCHOOL_COLUMNS, types: SCHOOL_COLUMNS.map(() => 'text'), primaryKey: ['id'], rowCount },
    ],
  };
}

describe('restore rules', () => {
  const bed = useBackupTestbed();

  it('rolls everything back when a row fails, naming the model and the row', async () => {
    const before = await dumpTables(bed.db.prisma);
    const file = path.join(bed.deps.backupDir, 'duplicate.enc');
    // Two schools with the same unique code: the second insert violates School_code_key.
    const document = await collect(
      writeDocument(header(2), [{ name: 'School', pages: pagesOf([schoolRow('s1', 'DUP'), schoolRow('s2', 'DUP')]) }]),
    );
    await writeCraftedBackup(file, bed.deps.keyring.current, document);
    const error = await restoreFromFile(file, { confirm: true, safetyBackup: false }, bed.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe('RESTORE_FAILED');
    expect((error as BackupError).message).toMatch(/School row 2 \(id=s2\).*duplicate key.*Nothing was changed/);
    expect(await dumpTables(bed.db.prisma)).toEqual(before);
  });

  it('rolls back a restore whose rows break a reference, with the constraints and indexes intact', async () => {
    const schema = async () =>
      bed.db.prisma.$queryRawUnsafe<{ n: string }[]>(
        `SELECT (SELECT count(*) FROM pg_constraint WHERE contype = 'f') + (SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()) AS n`,
      );
    const before = await dumpTables(bed.db.prisma);
    const schemaBefore = await schema();
    const columns = ['id', 'schoolId', 'key', 'value', 'previousValue', 'updatedAt'];
    const orphanHeader: TBackupHeader = {
      ...header(1),
      models: [
        header(1).models[0] as TBackupHeader['models'][number],
        { name: 'SchoolSetting', table: 'SchoolSetting', columns, types: columns.map(() => 'text'), primaryKey: ['id'], rowCount: 1 },
      ],
    };
    const file = path.join(bed.deps.backupDir, 'orphan.enc');
    const document = await collect(
      writeDocument(orphanHeader, [
        { name: 'School', pages: pagesOf([schoolRow('s1', 'ONE')]) },
        { name: 'SchoolSetting', pages: pagesOf([['1', 'no_such_school', 'k', '{}', null, '2026-01-01 00:00:00']]) },
      ]),
    );
    await writeCraftedBackup(file, bed.deps.keyring.current, document);
    const error = (await restoreFromFile(file, { confirm: true, safetyBackup: false }, bed.deps).catch((e: unknown) => e)) as BackupError;
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toMatch(/SchoolSetting rows break a reference.*SchoolSetting_schoolId_fkey.*Nothing was changed/);
    // What PostgreSQL's DETAIL says (the driver adapters drop it for this error): the row and the table it misses.
    expect(error.message).toContain('Key (schoolId)=(no_such_school) is not present in table "School"');
    expect(await dumpTables(bed.db.prisma)).toEqual(before);
    expect(await schema()).toEqual(schemaBefore);
  });

  it("keeps the database's DETAIL, which names the table in the way", async () => {
    // A table outside the Prisma schema (another application's, in its own PostgreSQL schema) referencing ours.
    await bed.db.prisma.$executeRawUnsafe('CREATE SCHEMA reporting');
    await bed.db.prisma.$executeRawUnsafe('CREATE TABLE reporting.school_stats ("schoolId" TEXT REFERENCES public."School"(id))');
    try {
      const backup = await createBackup({}, bed.deps);
      const error = (await restoreBackup(backup.id, { confirm: true, safetyBackup: false }, bed.deps).catch(
        (e: unknown) => e,
      )) as BackupError;
      expect(error.code).toBe('RESTORE_FAILED');
      expect(error.message).toMatch(
        /cannot truncate a table referenced in a foreign key constraint \(Table "school_stats" references "School"\)\. Nothing was changed\./,
      );
    } finally {
      await bed.db.prisma.$executeRawUnsafe('DROP SCHEMA reporting CASCADE');
    }
  });

  it('restores each supported format version and refuses newer ones', async () => {
    for (let version = READ_VERSIONS.min; version <= READ_VERSIONS.max; version++) {
      const file = path.join(bed.deps.backupDir, `v${version}.enc`);
      const document =
        version === 1
          ? JSON.stringify({
              version: '1.0',
              timestamp: '2024-01-01T00:00:00.000Z',
              tables: {
                schools: [
                  {
                    id: 'v1',
                    code: 'V1',
                    name: 'Legacy',
                    address: 'x',
                    timezone: 'UTC',
                    isActive: true,
                    createdAt: '2024-01-01T00:00:00.000Z',
                  },
                ],
              },
            })
          : await collect(
              writeDocument(header(1), [{ name: 'School', pages: pagesOf([schoolRow(`v${version}`, `V${version}`)]) }], { version }),
            );
      await writeCraftedBackup(file, bed.deps.keyring.current, document);
      const result = await restoreFromFile(file, { confirm: true, safetyBackup: false }, bed.deps);
      expect(result.perModel.School, `version ${version}`).toBe(1);
      expect((await bed.db.prisma.school.findMany()).map((s) => s.id)).toEqual([`v${version}`]);
    }
    const next = READ_VERSIONS.max + 1;
    const future = path.join(bed.deps.backupDir, `v${next}.enc`);
    await writeCraftedBackup(future, bed.deps.keyring.current, `{"format":"school-erp-backup","version":${next},\n`);
    const error = (await restoreFromFile(future, { confirm: true }, bed.deps).catch((e: unknown) => e)) as BackupError;
    expect(error.code).toBe('UNSUPPORTED_VERSION');
    expect(error.message).toMatch(new RegExp(`version ${next} is not supported.*upgrade`));
  });

  it('restores JSON null in a required Json column of an earlier-service file as JSON null', async () => {
    const file = path.join(bed.deps.backupDir, 'v1-json-null.enc');
    const school = {
      id: 'j1',
      code: 'J1',
      name: 'Json',
      address: 'x',
      timezone: 'UTC',
      isActive: true,
      createdAt: '2024-01-01T00:00:00.000Z',
    };
    // The earlier service's JSON.stringify of Prisma's rows: JSON null and SQL NULL both came out as null.
    const settings = [
      { id: 1, schoolId: 'j1', key: 'unset', value: null, previousValue: null, updatedAt: '2024-01-01T00:00:00.000Z' },
      { id: 2, schoolId: 'j1', key: 'set', value: { on: true }, previousValue: null, updatedAt: '2024-01-01T00:00:00.000Z' },
    ];
    const document = JSON.stringify({
      version: '1.0',
      timestamp: '2024-01-01T00:00:00.000Z',
      tables: { schools: [school], schoolSettings: settings },
    });
    await writeCraftedBackup(file, bed.deps.keyring.current, document);
    const result = await restoreFromFile(file, { confirm: true, safetyBackup: false }, bed.deps);
    expect(result.perModel.SchoolSetting).toBe(2);
    const rows = await bed.db.prisma.$queryRawUnsafe<{ key: string; value: string | null; previous: string | null }[]>(
      `SELECT key, value::text AS value, "previousValue"::text AS previous FROM "SchoolSetting" ORDER BY id`,
    );
    expect(rows).toEqual([
      { key: 'unset', value: 'null', previous: null },
      { key: 'set', value: '{"on": true}', previous: null },
    ]);
  });

  it('refuses a document whose rows disagree with its header', async () => {
    const file = path.join(bed.deps.backupDir, 'count.enc');
    await writeCraftedBackup(
      file,
      bed.deps.keyring.current,
      await collect(writeDocument(header(5), [{ name: 'School', pages: pagesOf([schoolRow('c1', 'C1')]) }])),
    );
    const before = await dumpTables(bed.db.prisma);
    const error = (await restoreFromFile(file, { confirm: true, safetyBackup: false }, bed.deps).catch((e: unknown) => e)) as BackupError;
    expect(error.code).toBe('CORRUPT');
    expect(await dumpTables(bed.db.prisma)).toEqual(before);
  });

  it('never overwrites the Backup and AuditLog history, and records the restore in it', async () => {
    await bed.db.prisma.school.deleteMany();
    await insertEdgeValues(bed.db.prisma);
    const backup = await createBackup({}, bed.deps);
    const historyBefore = await bed.db.prisma.backup.count();
    const result = await restoreBackup(backup.id, { confirm: true }, bed.deps);
    expect(result.safetyBackupId).not.toBeNull();
    expect(await bed.db.prisma.backup.count()).toBe(historyBefore + 1);
    const actions = (await bed.db.prisma.auditLog.findMany({ orderBy: { id: 'asc' } })).map((row) => row.action);
    expect(actions.slice(-3)).toEqual(['backup.restore.started', 'backup.created', 'backup.restored']);
  });

  it('skips the safety backup when the restored models are empty, and says why', async () => {
    const backup = await createBackup({}, bed.deps);
    await bed.db.prisma.school.deleteMany();
    await bed.db.prisma.$executeRawUnsafe('TRUNCATE "School" CASCADE');
    const result = await restoreBackup(backup.id, { confirm: true }, bed.deps);
    expect(result.safetyBackupId).toBeNull();
    expect(result.safetyBackupSkipped).toBe('the restored models hold no rows');
    expect(await bed.db.prisma.school.count()).toBe(1);
  });
});
