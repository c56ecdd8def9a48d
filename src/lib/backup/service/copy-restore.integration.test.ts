import path from 'node:path';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { openDecryptStream } from '@/lib/backup/crypto/encrypted-file';
import type { TBackupKey } from '@/lib/backup/crypto/keys';
import { BackupError } from '@/lib/backup/errors/errors';
import type { TBackupHeader } from '@/lib/backup/format/document';
import { HISTORY_MODELS } from '@/lib/backup/schema/models';
import { createBackup, restoreFromFile } from '@/lib/backup/service';
import { useBackupTestbed } from '@/test/backup-testbed';
import { writeCraftedBackup } from '@/test/craft-file';
import { writeDocument } from '@/test/document-writer';
import { SCHOOL_COLUMNS, schoolRow } from '@/test/school-rows';
import { dumpTables } from '@/test/table-dump';

/** The decrypted, decompressed document of a backup file. */
async function plaintextOf(filePath: string, key: TBackupKey): Promise<string> {
  const decrypted = await openDecryptStream(filePath, key);
  const chunks: Buffer[] = [];
  for await (const chunk of pipeline(decrypted as NodeJS.ReadableStream & NodeJS.WritableStream, createGunzip(), () => {})) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

const TYPED = /timestamp|integer|bigint|boolean|numeric|date|double|real|smallint/;

describe('restore with COPY', () => {
  const bed = useBackupTestbed();

  it('changes nothing when the last model of a real backup has a row that does not cast, and names the row', async () => {
    const backup = await createBackup({}, bed.deps);
    const text = await plaintextOf(path.join(bed.deps.backupDir, backup.filename), bed.deps.keyring.current);
    const lines = text.split('\n');
    const header = (JSON.parse(lines[1]?.slice('"header":'.length, -1) ?? '{}') as TBackupHeader).models;
    // The last row of the last restored model that has rows and a typed column: the last COPY of the restore.
    const model = header.filter((m) => !HISTORY_MODELS.has(m.name) && m.rowCount > 0 && m.types.some((type) => TYPED.test(type))).at(-1);
    if (!model) throw new Error('The test data has no typed model with rows');
    const start = lines.findIndex((line) => line.startsWith(`{"model":${JSON.stringify(model.name)},`));
    const lastRow = start + model.rowCount;
    const row = JSON.parse(lines[lastRow]?.replace(/,$/, '') ?? '[]') as (string | null)[];
    const typed = model.types.findIndex((type) => TYPED.test(type));
    row[typed] = 'not a value of its type';
    lines[lastRow] = JSON.stringify(row);
    const file = path.join(bed.deps.backupDir, 'bad-last-row.enc');
    await writeCraftedBackup(file, bed.deps.keyring.current, lines.join('\n'));

    // Wrecked after the backup: the failed restore must leave exactly this.
    await bed.db.prisma.school.updateMany({ data: { name: 'Wrecked' } });
    const before = await dumpTables(bed.db.prisma);
    const error = await restoreFromFile(file, { confirm: true, safetyBackup: false }, bed.deps).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe('RESTORE_FAILED');
    const key = model.primaryKey.map((column) => `${column}=${row[model.columns.indexOf(column)]}`).join(', ');
    expect((error as BackupError).message).toContain(`Restore failed at ${model.name} row ${model.rowCount} (${key}): `);
    expect((error as BackupError).message).toMatch(/Nothing was changed\.$/);
    expect(await dumpTables(bed.db.prisma)).toEqual(before);
  });

  it('names a duplicate many blocks into a model, by its position and key', async () => {
    const columns = SCHOOL_COLUMNS;
    const count = 40_000;
    const school = (i: number, code = `C${i}`) => schoolRow(`s${i}`, code, `School ${i} ${'x'.repeat(100)}`);
    const header: TBackupHeader = {
      createdAt: '2026-01-01T00:00:00.000Z',
      migration: null,
      database: 'PostgreSQL test',
      models: [{ name: 'School', table: 'School', columns, types: columns.map(() => 'text'), primaryKey: ['id'], rowCount: count }],
    };
    async function* pages() {
      for (let from = 1; from <= count; from += 1000) {
        yield Array.from({ length: 1000 }, (_, i) => (from + i === count ? school(count, 'C7') : school(from + i)));
      }
    }
    const file = path.join(bed.deps.backupDir, 'late-duplicate.enc');
    await writeCraftedBackup(file, bed.deps.keyring.current, await collect(writeDocument(header, [{ name: 'School', pages: pages() }])));
    const before = await dumpTables(bed.db.prisma);
    const error = (await restoreFromFile(file, { confirm: true, safetyBackup: false }, bed.deps).catch((e: unknown) => e)) as BackupError;
    expect(error.code).toBe('RESTORE_FAILED');
    expect(error.message).toMatch(
      /^Restore failed at School row 40000 \(id=s40000\): duplicate key .*School_code_key.*Nothing was changed\.$/,
    );
    expect(await dumpTables(bed.db.prisma)).toEqual(before);
  });
});
