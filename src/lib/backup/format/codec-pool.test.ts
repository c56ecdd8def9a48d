import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CodecPool } from './codec-pool';
import { ContentDigest } from './content-digest';
import { copyLine } from './copy-text';
import type { TRow } from './document';

const pool = new CodecPool({ size: 2 });
afterAll(() => pool.close());

const rowsOf = (count: number, offset = 0): TRow[] =>
  Array.from({ length: count }, (_, i) => [String(i + offset), `name\t${i}`, i % 3 === 0 ? null : 'x\\y\nz']);

describe('codec pool', () => {
  it('turns COPY rows into document lines with their digest, in worker threads, order kept by the caller', async () => {
    const blocks = [rowsOf(500), rowsOf(500, 500), rowsOf(1, 1000)];
    const outputs = await Promise.all(
      blocks.map((rows, index) =>
        pool.run('copyToJson', { copy: Buffer.from(rows.map(copyLine).join('')), leadingComma: index > 0, gzipLevel: 6 }),
      ),
    );
    const text = outputs.map((output) => gunzipSync(output.out).toString()).join('');
    const all = blocks.flat();
    expect(text).toBe(all.map((row) => JSON.stringify(row)).join(',\n'));
    const expected = new ContentDigest();
    for (const row of all) expected.addRow(row);
    const summed = new ContentDigest();
    for (const output of outputs) summed.addSum(output.digestSum, output.rows);
    expect(summed.hex()).toBe(expected.hex());
    expect(summed.rows).toBe(1001);
  });

  it('starts its workers ahead of the first task when warmed, and uses them', async () => {
    const warmed = new CodecPool({ size: 2 });
    try {
      warmed.warm();
      warmed.warm();
      const output = await warmed.run('copyToJson', { copy: Buffer.from('1\tx\n'), leadingComma: false, gzipLevel: null });
      expect(Buffer.from(output.out).toString()).toBe('["1","x"]');
    } finally {
      await warmed.close();
    }
  });

  it('does not keep its process alive with workers that were warmed but never given a task', () => {
    const script = `import { CodecPool } from ${JSON.stringify(path.resolve('src/lib/backup/format/codec-pool.ts'))}; new CodecPool({ size: 2 }).warm();`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeout: 20_000 });
    expect(run.signal, 'the process had to be killed').toBeNull();
    expect(run.status, run.stderr.toString()).toBe(0);
  });

  it('fails a task with the worker’s error and goes on working', async () => {
    await expect(pool.run('copyToJson', { copy: Buffer.from('no newline'), leadingComma: false, gzipLevel: null })).rejects.toThrow(
      'ended inside a row',
    );
    const next = await pool.run('copyToJson', { copy: Buffer.from('1\n'), leadingComma: false, gzipLevel: null });
    expect(Buffer.from(next.out).toString()).toBe('["1"]');
  });

  it('fails the task of a worker that dies with a clear error, and starts a new worker for the next task', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-codec-'));
    const file = path.join(dir, 'dying-worker.mjs');
    fs.writeFileSync(file, "import { parentPort } from 'node:worker_threads'; parentPort.on('message', () => process.exit(3));\n");
    const dying = new CodecPool({ size: 1, script: { file, execArgv: [] } });
    try {
      const task = () => dying.run('copyToJson', { copy: Buffer.from('1\n'), leadingComma: false, gzipLevel: null });
      await expect(task()).rejects.toThrow('A worker thread of the backup stopped (exit code 3)');
      await expect(task()).rejects.toThrow('exit code 3');
    } finally {
      await dying.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
