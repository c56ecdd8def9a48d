import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** Where PostgreSQL's own client tools are expected. */
const PG_BIN = '/usr/bin';

/** Whether `pg_dump` and `pg_restore` are installed. */
export function pgToolsAvailable(): boolean {
  return ['pg_dump', 'pg_restore'].every((tool) => fs.existsSync(`${PG_BIN}/${tool}`));
}

async function timed(tool: string, args: string[]): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(`${PG_BIN}/${tool}`, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${tool} exited with ${signal ?? `code ${code}`}: ${stderr.trim().slice(0, 2000)}`)),
    );
  });
  return performance.now() - started;
}

/** `pg_dump -Fc` (custom format, compressed at its default level) of the database into `file`. */
export async function timePgDump(databaseUrl: string, file: string): Promise<{ wallMs: number; sizeBytes: number }> {
  const wallMs = await timed('pg_dump', ['--format=custom', `--file=${file}`, `--dbname=${databaseUrl}`]);
  return { wallMs, sizeBytes: fs.statSync(file).size };
}

/** How the pg_restore comparison runs; printed with the results. */
export const PG_RESTORE_MODE =
  'pg_restore --clean --if-exists --single-transaction into the same database: like our restore it replaces the data of the existing database in one transaction (it also drops and re-creates the tables and rebuilds their indexes and constraints)';

/** `pg_restore` of a custom-format dump over the same database, in one transaction. */
export function timePgRestore(databaseUrl: string, file: string): Promise<number> {
  return timed('pg_restore', ['--clean', '--if-exists', '--single-transaction', '--no-owner', `--dbname=${databaseUrl}`, file]);
}
