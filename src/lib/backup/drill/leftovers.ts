import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withPgClient } from '@/lib/db/scratch-database';
import { isProcessAlive } from '@/lib/os/process-alive';
import { DRILL_DATABASE_PREFIX, DRILL_DIRECTORY_PREFIX, type TDrillPlacement } from './throwaway-database';

/**
 * Removes the throwaway databases of drills that did not finish (a crash, a
 * kill, a server gone during the drop), and returns what it removed:
 *
 * - on each PostgreSQL server a drill may use, every `erp_drill_*` database
 *   nobody is connected to. A running drill keeps a connection to its
 *   database for its whole life, and a plain DROP DATABASE (without FORCE)
 *   refuses a database in use, so a drill of another process or host is
 *   never dropped from under it;
 * - in the temp directory, every `erp-drill-<pid>-*` directory whose process
 *   is gone.
 *
 * This process's own drills are left alone.
 */
export async function removeDrillLeftovers(placement: TDrillPlacement): Promise<string[]> {
  const servers = new Set<string>();
  if (placement.serverUrl) servers.add(placement.serverUrl);
  if (placement.live.target.kind === 'postgres') servers.add(placement.live.target.url);
  const removed: string[] = [];
  for (const server of servers) removed.push(...(await dropUnusedDatabases(server)));
  removed.push(...(await removeDeadDirectories(placement.tempDir ?? os.tmpdir())));
  return removed;
}

const IN_USE = '55006';
const NOT_ALLOWED = '42501';

async function dropUnusedDatabases(serverUrl: string): Promise<string[]> {
  return withPgClient(serverUrl, async (client) => {
    const { rows } = await client.query<{ name: string }>(
      `SELECT datname AS name FROM pg_database WHERE starts_with(datname, $1) AND datname ~ '^[a-z0-9_]+$'`,
      [DRILL_DATABASE_PREFIX],
    );
    const own = `${DRILL_DATABASE_PREFIX}${process.pid}_`;
    const dropped: string[] = [];
    for (const { name } of rows) {
      if (name.startsWith(own)) continue;
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}"`);
        dropped.push(name);
      } catch (error) {
        const code = (error as { code?: string }).code;
        // In use: a drill is running on it. Not allowed: another role's, left to its owner.
        if (code !== IN_USE && code !== NOT_ALLOWED) throw error;
      }
    }
    return dropped;
  });
}

async function removeDeadDirectories(tempDir: string): Promise<string[]> {
  const entries = await fs.promises.readdir(tempDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const removed: string[] = [];
  for (const entry of entries) {
    const pid = new RegExp(`^${DRILL_DIRECTORY_PREFIX}(\\d+)-[0-9a-f]+$`).exec(entry.name)?.[1];
    if (!entry.isDirectory() || pid === undefined || Number(pid) === process.pid || isProcessAlive(Number(pid))) continue;
    const dir = path.join(tempDir, entry.name);
    await fs.promises.rm(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return removed;
}
