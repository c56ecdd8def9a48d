import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { BackupError } from '@/lib/backup/errors/errors';
import { CodecPool } from '@/lib/backup/format/codec-pool';
import { writeCopyDocument } from '@/lib/backup/format/copy-document-writer';
import type { TRow } from '@/lib/backup/format/document';
import type { TBackupModel } from '@/lib/backup/schema/models';
import { createBackup } from '@/lib/backup/service';
import { loadModels } from '@/lib/backup/service/deps';
import { withEngineTransaction } from '@/lib/backup/sql/engine-transaction';
import { ident, type TSql } from '@/lib/backup/sql/sql';
import { useBackupTestbed } from '@/test/backup-testbed';
import { writeDocument } from '@/test/document-writer';
import { at, expectCleanFailure, exporting } from '@/test/fault-expectations';
import { openFaultInjector } from '@/test/pg-faults';
import { testEngine } from '@/test/test-db';
import { copyOutBlocks, type TCopyOutOptions } from './copy-out';
import { postgresCopyBlocks } from './copy-out-postgres';
import { beginSnapshot, readHeader, snapshotBlocks } from './read-snapshot';

const pools = [new CodecPool({ size: 1 }), new CodecPool({ size: 2 })];
afterAll(() => Promise.all(pools.map((pool) => pool.close())));

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

/** The rows as the export read them before COPY: one SELECT of every column's text, in row-key order. */
async function* selectedRows(sql: TSql, model: TBackupModel): AsyncGenerator<TRow[]> {
  const columns = model.columns.map((column, index) => `${ident(column.name)}::text AS c${index}`).join(', ');
  yield await sql.rows(
    `SELECT ${columns} FROM ${ident(model.schema)}.${ident(model.table)} ORDER BY ${model.rowKey.map(ident).join(', ')}`,
  );
}

/** Small blocks and pages, so every table of a few rows is read in several. */
const SMALL: TCopyOutOptions = { blockBytes: 64, pageRows: 2, pageBytes: 64 };

describe('COPY export', () => {
  const bed = useBackupTestbed();

  it('writes the same document, byte for byte, and the same digests as the rows read with SELECT, with 1 and 2 workers', async () => {
    const models = await loadModels(bed.deps);
    await withEngineTransaction(bed.db.database, { applicationName: 'erp-backup:export' }, async (sql, connection) => {
      await beginSnapshot(sql);
      const header = await readHeader(sql, models);
      const expectedDigests: Record<string, string> = {};
      const expected = (
        await collect(
          writeDocument(
            header,
            models.map((model) => ({ name: model.name, pages: selectedRows(sql, model) })),
            { digests: expectedDigests },
          ),
        )
      ).join('');
      expect(expected).toContain('Escuela Niño 😀');
      for (const pool of pools) {
        const blocksOf: Record<string, number> = {};
        const digests: Record<string, string> = {};
        const options = {
          ...SMALL,
          onRows: (model: string) => {
            blocksOf[model] = (blocksOf[model] ?? 0) + 1;
          },
        };
        const members = await collect(writeCopyDocument(header, snapshotBlocks(connection, models, options), { pool, digests }));
        expect(gunzipSync(Buffer.concat(members)).toString('utf8')).toBe(expected);
        expect(digests).toEqual(expectedDigests);
        // The small pages did split tables on PGlite: several pages, so several worker tasks per model.
        // (A server's COPY of a small table arrives in one chunk, and a chunk is cut into one block.)
        if (testEngine() === 'pglite') expect(Math.max(...Object.values(blocksOf))).toBeGreaterThan(2);
      }
    });
  });

  it('pages through composite text keys of every awkward kind and reads each row once, in key order', async () => {
    await bed.db.prisma.$executeRawUnsafe('CREATE SCHEMA copy_probe');
    await bed.db.prisma.$executeRawUnsafe(
      'CREATE TABLE copy_probe.pairs (k1 text NOT NULL, k2 integer NOT NULL, v text, PRIMARY KEY (k1, k2))',
    );
    const keys = ['a', "it's", 'back\\slash', 'tab\there', 'new\nline', 'ünï', '😀', '\\N', ''];
    // 10 sorts before 2 as text: the pages must follow the key's own order.
    const rows = keys.flatMap((k1, i) => [1, 2, 10].map((k2) => [k1, String(k2), k2 === 2 ? null : `${i}:${k2}`]));
    for (const [k1, k2, v] of rows) {
      await bed.db.prisma.$executeRawUnsafe('INSERT INTO copy_probe.pairs VALUES ($1, $2::integer, $3)', k1, k2, v);
    }
    const model = {
      name: 'Pairs',
      kind: 'model',
      schema: 'copy_probe',
      table: 'pairs',
      columns: ['k1', 'k2', 'v'].map((name) => ({
        name,
        sqlType: name === 'k2' ? 'integer' : 'text',
        nullable: name === 'v',
        serial: false,
      })),
      rowKey: ['k1', 'k2'],
    } as TBackupModel;
    try {
      await withEngineTransaction(bed.db.database, { applicationName: 'erp-backup:export' }, async (sql, connection) => {
        await beginSnapshot(sql);
        const expected = await sql.rows('SELECT k1, k2::text AS k2_text, v FROM copy_probe.pairs ORDER BY k1, k2');
        for (const pageRows of [1, 2, 4, 100]) {
          const blocks = await collect(copyOutBlocks(connection, model, { blockBytes: 16, pageRows, pageBytes: 1 << 20 }));
          const text = Buffer.concat(blocks).toString('utf8');
          expect(text.split('\n').filter(Boolean).length, `pages of ${pageRows}`).toBe(rows.length);
          const pool = pools[0] as CodecPool;
          const json = await pool.run('copyToJson', { copy: Buffer.from(text), leadingComma: false, gzipLevel: null });
          expect(JSON.parse(`[${Buffer.from(json.out).toString('utf8')}]`)).toEqual(expected);
          // One block per page (an empty last page yields none).
          if (testEngine() === 'pglite') expect(blocks.length).toBe(Math.ceil(rows.length / pageRows));
        }
      });
    } finally {
      await bed.db.prisma.$executeRawUnsafe('DROP SCHEMA copy_probe CASCADE');
    }
  });

  // A PostgreSQL server's COPY streams over a connection that can die; the embedded database has none.
  if (testEngine() === 'postgres') {
    const url = () => (bed.db.target as { url: string }).url;
    const manyRows = 'SELECT g::text, repeat(md5(g::text), 4) FROM generate_series(1, 200000) AS g';

    it('fails with the lost connection, never hangs, when the connection is cut mid-COPY', async () => {
      const injector = await openFaultInjector(url());
      try {
        let blocks = 0;
        const run = withEngineTransaction(bed.db.database, { applicationName: 'erp-backup:export' }, async (_sql, connection) => {
          if (connection.engine !== 'postgres') throw new Error('expected PostgreSQL');
          for await (const _block of postgresCopyBlocks(connection.client, manyRows, { blockBytes: 64 << 10 })) {
            if (++blocks === 1) expect(await injector.terminate('erp-backup:export')).toBe(1);
          }
        });
        await expect(run).rejects.toThrow(/terminat/i);
        // Cut after the first of about 400 blocks: the rest never came.
        expect(blocks).toBeLessThan(50);
      } finally {
        await injector.close();
      }
    });

    it('a backup whose connection is cut in the middle of a table’s COPY fails cleanly: FAILED row, no file, lock free', async () => {
      // About 5 MiB of COPY text in one table: several blocks, so the cut lands while its COPY still streams.
      await bed.db.prisma.$executeRawUnsafe(
        `INSERT INTO "AuditLog" (action, outcome, details) SELECT 'test.bulk', 'SUCCESS', jsonb_build_object('n', g, 'pad', repeat('x', 200)) FROM generate_series(1, 20000) AS g`,
      );
      const injector = await openFaultInjector(url());
      try {
        let rowsAtCut = 0;
        const deps = {
          ...bed.deps,
          onProgress: at(
            (progress) => exporting(progress) && progress.currentModel === 'AuditLog',
            async (progress) => {
              rowsAtCut = progress.rowsDone;
              expect(await injector.terminate('erp-backup:export')).toBe(1);
            },
          ),
        };
        const error = (await createBackup({}, deps).then(
          () => {
            throw new Error('expected the backup to fail');
          },
          (failure: unknown) => failure,
        )) as BackupError;
        expect(error.code).toBe('DATABASE_UNAVAILABLE');
        expect(rowsAtCut).toBeGreaterThan(0);
        const latest = await bed.db.prisma.backup.findFirstOrThrow({ orderBy: { createdAt: 'desc' } });
        await expectCleanFailure(bed.deps, latest.id, /connection to the database was lost/);
      } finally {
        await injector.close();
        await bed.db.prisma.$executeRawUnsafe(`DELETE FROM "AuditLog" WHERE action = 'test.bulk'`);
      }
    });

    it('ends its connection when the reader stops mid-COPY, so the transaction settles instead of waiting for the rest', async () => {
      const injector = await openFaultInjector(url());
      try {
        const run = withEngineTransaction(bed.db.database, { applicationName: 'erp-backup:export' }, async (_sql, connection) => {
          if (connection.engine !== 'postgres') throw new Error('expected PostgreSQL');
          for await (const _block of postgresCopyBlocks(connection.client, manyRows, { blockBytes: 64 << 10 })) {
            throw new Error('the writer failed');
          }
        });
        await expect(run).rejects.toThrow('the writer failed');
        await injector.waitUntil((sessions) => !sessions.some((session) => session.applicationName === 'erp-backup:export'));
      } finally {
        await injector.close();
      }
    });
  }
});
