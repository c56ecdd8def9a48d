import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withPgClient } from '@/lib/db/scratch-database';
import { createTestDb, type TTestDb } from '@/test/test-db';
import { removeDrillLeftovers } from './leftovers';
import { createThrowawayDatabase } from './throwaway-database';

/** The id of a process that has exited: what a crashed drill leaves in its names. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.exit(0)']);
  if (child.pid === undefined) throw new Error('could not start a process');
  return child.pid;
}

async function databases(url: string, prefix: string): Promise<string[]> {
  const { rows } = await withPgClient(url, (client) =>
    client.query<{ name: string }>('SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1', [prefix]),
  );
  return rows.map((row) => row.name);
}

describe('throwaway databases of restore drills', () => {
  let db: TTestDb;
  let tempDir: string;

  beforeAll(async () => {
    db = await createTestDb();
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drill-leftovers-'));
  });
  afterAll(async () => {
    fs.rmSync(tempDir, { recursive: true, force: true });
    await db.close();
  });

  it('are created recognisably and removed by dispose()', async () => {
    const throwaway = await createThrowawayDatabase({ live: db.database, tempDir });
    expect(path.basename(throwaway.name)).toMatch(
      db.engine === 'postgres'
        ? new RegExp(`^erp_drill_${process.pid}_[0-9a-f]{12}$`)
        : new RegExp(`^erp-drill-${process.pid}-[0-9a-f]{12}$`),
    );
    if (db.target.kind === 'postgres') expect(await databases(db.target.url, throwaway.name)).toEqual([throwaway.name]);
    else expect(fs.existsSync(throwaway.name)).toBe(true);
    // This process's own drill is never a leftover.
    await removeDrillLeftovers({ live: db.database, tempDir });
    if (db.target.kind === 'postgres') expect(await databases(db.target.url, throwaway.name)).toEqual([throwaway.name]);
    else expect(fs.existsSync(throwaway.name)).toBe(true);
    await throwaway.dispose();
    if (db.target.kind === 'postgres') expect(await databases(db.target.url, throwaway.name)).toEqual([]);
    else expect(fs.existsSync(throwaway.name)).toBe(false);
  });

  it('left by a crashed drill are removed at the next start, and a running drill elsewhere is not', async () => {
    const dead = deadPid();
    const crashedDir = path.join(tempDir, `erp-drill-${dead}-abcdef012345`);
    fs.mkdirSync(path.join(crashedDir, 'base'), { recursive: true });
    const livingDir = path.join(tempDir, `erp-drill-${process.ppid}-abcdef012345`);
    fs.mkdirSync(livingDir);
    const unrelated = path.join(tempDir, 'erp-drill-notes');
    fs.mkdirSync(unrelated);

    let expected = [crashedDir];
    let running: pg.Client | null = null;
    if (db.target.kind === 'postgres') {
      const crashed = `erp_drill_${dead}_abcdef012345`;
      const busy = `erp_drill_${dead}_fedcba543210`;
      await withPgClient(db.target.url, async (client) => {
        await client.query(`CREATE DATABASE "${crashed}"`);
        await client.query(`CREATE DATABASE "${busy}"`);
      });
      const url = new URL(db.target.url);
      url.pathname = `/${busy}`;
      running = new pg.Client({ connectionString: url.toString() });
      await running.connect();
      expected = [crashed, crashedDir];
    }
    try {
      const removed = await removeDrillLeftovers({ live: db.database, tempDir });
      expect(removed.sort()).toEqual(expected.sort());
      expect(fs.existsSync(crashedDir)).toBe(false);
      expect(fs.existsSync(livingDir)).toBe(true);
      expect(fs.existsSync(unrelated)).toBe(true);
      if (db.target.kind === 'postgres')
        expect(await databases(db.target.url, `erp_drill_${dead}_`)).toEqual([`erp_drill_${dead}_fedcba543210`]);
    } finally {
      await running?.end();
      if (db.target.kind === 'postgres') {
        const { url } = db.target;
        await withPgClient(url, (client) => client.query(`DROP DATABASE IF EXISTS "erp_drill_${dead}_fedcba543210" WITH (FORCE)`));
      }
    }
  });
});
