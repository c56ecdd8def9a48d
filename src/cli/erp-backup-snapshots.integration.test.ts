import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliTestbed } from '@/test/cli-testbed';
import { dumpTables } from '@/test/table-dump';

/** The data a restore gives back (the chunk index is the module's own, never restored). */
const schoolData = async (prisma: Parameters<typeof dumpTables>[0]) => {
  const tables = await dumpTables(prisma);
  delete tables.BackupChunk;
  return tables;
};

// Each test runs the real bin several times; on a busy machine one start-up takes seconds.
describe('erp-backup CLI: snapshots, gc and rebuild-index', { timeout: 300_000 }, () => {
  const cli = useCliTestbed();

  it('create --incremental and create report kind and sizes; list shows the KIND; rebuild-index answers in JSON', async () => {
    const snapshot = await cli.run('create', '--incremental', '--json');
    expect(snapshot.code, snapshot.stderr).toBe(0);
    const snap = JSON.parse(snapshot.stdout).data;
    expect(snap).toMatchObject({
      kind: 'INCREMENTAL',
      status: 'COMPLETED',
      storedBytes: expect.any(Number),
      logicalBytes: expect.any(Number),
      chunksNew: expect.any(Number),
      chunksReused: 0,
    });
    expect(snap.filename).toMatch(/\.manifest$/);
    expect(snap.chunksNew).toBeGreaterThan(0);

    const full = await cli.run('create', '--json');
    expect(full.code, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout).data).toMatchObject({
      kind: 'FULL',
      storedBytes: expect.any(Number),
      logicalBytes: expect.any(Number),
      chunksNew: null,
    });

    const listed = await cli.run('list');
    expect(listed.code, listed.stderr).toBe(0);
    const [header, ...lines] = listed.stdout.trim().split('\n');
    expect(header?.split(/\s+/)).toContain('KIND');
    expect(lines.find((line) => line.startsWith(snap.id))).toMatch(/\bsnapshot\b/);
    expect(lines.find((line) => !line.startsWith(snap.id))).toMatch(/\bfull\b/);

    await cli.withDb((db) => db.prisma.backupChunk.deleteMany());
    const rebuilt = await cli.run('rebuild-index', '--json');
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toEqual({
      success: true,
      data: { manifests: 1, chunksIndexed: snap.chunksNew, chunksMissing: 0, chunksUnreferenced: 0 },
    });
  });

  it('gc --dry-run counts and gc deletes the chunks of a deleted snapshot; restore-file takes a manifest on an empty database', async () => {
    const first = JSON.parse((await cli.run('create', '--incremental', '--json')).stdout).data;
    await cli.withDb((db) => db.prisma.payment.deleteMany());
    const created = await cli.run('create', '--incremental', '--json');
    expect(created.code, created.stderr).toBe(0);
    const second = JSON.parse(created.stdout).data;
    expect(second.chunksNew).toBeGreaterThan(0);
    const data = await cli.withDb((db) => schoolData(db.prisma));
    expect((await cli.run('delete', first.id, '--yes', '--json')).code).toBe(0);

    const dry = await cli.run('gc', '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    const planned = JSON.parse(dry.stdout);
    expect(planned).toMatchObject({
      success: true,
      data: {
        dryRun: true,
        manifests: 2,
        referencedChunks: expect.any(Number),
        chunksDeleted: expect.any(Number),
        bytesFreed: expect.any(Number),
        places: [{ place: 'local', where: cli.env.BACKUP_DIR, chunksDeleted: expect.any(Number), bytesFreed: expect.any(Number) }],
      },
    });
    expect(planned.data.chunksDeleted).toBeGreaterThan(0);
    const collected = await cli.run('gc', '--json');
    expect(collected.code, collected.stderr).toBe(0);
    expect(JSON.parse(collected.stdout)).toEqual({ ...planned, data: { ...planned.data, dryRun: false } });

    await cli.withDb(async (db) => {
      await db.prisma.$executeRawUnsafe('TRUNCATE "School" CASCADE');
      await db.prisma.backup.deleteMany();
      await db.prisma.backupChunk.deleteMany();
    });
    const manifest = path.join(cli.env.BACKUP_DIR as string, second.filename);
    expect(fs.existsSync(manifest)).toBe(true);
    const restored = await cli.run('restore-file', manifest, '--yes', '--json');
    expect(restored.code, restored.stderr).toBe(0);
    expect(JSON.parse(restored.stdout)).toMatchObject({
      success: true,
      data: { safetyBackupId: null, safetyBackupSkipped: 'the restored models hold no rows' },
    });
    expect(await cli.withDb((db) => schoolData(db.prisma))).toEqual(data);
  });
});
