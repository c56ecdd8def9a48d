import fs from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from '@/lib/os/process-alive';

/**
 * PGlite does not stop two processes from opening one data directory, and two
 * writers silently diverge. So the process that opens the directory writes a
 * holder file (`<dataDir>.holder`, created exclusively) and removes it on exit;
 * a second process gets an error naming the holder. A holder file whose
 * process is gone is stale and taken over.
 */

export interface TDataDirHolder {
  pid: number;
  command: string;
  since: string;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: TDataDirHolder,
  ) {
    super(
      `The embedded database in ${dataDir} is already open in process ${holder.pid} (${holder.command}, since ${holder.since}). ` +
        'Stop that process first, or set DATABASE_URL to use a PostgreSQL server that several processes can share.',
    );
    this.name = 'DataDirInUseError';
  }
}

function holderFileOf(dataDir: string): string {
  return `${dataDir.replace(/[\\/]+$/, '')}.holder`;
}

function readHolder(file: string): TDataDirHolder | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as TDataDirHolder;
  } catch {
    return null;
  }
}

/** Claims the data directory for this process; returns a release function. */
export function claimDataDir(dataDir: string): () => void {
  const file = holderFileOf(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const me: TDataDirHolder = {
    pid: process.pid,
    command:
      process.argv
        .slice(1, 3)
        .map((arg) => path.basename(arg))
        .join(' ') || 'node',
    since: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(me), { flag: 'wx' });
      const release = () => {
        const current = readHolder(file);
        if (current?.pid === process.pid) fs.rmSync(file, { force: true });
        process.off('exit', release);
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && isProcessAlive(holder.pid)) throw new DataDirInUseError(dataDir, holder);
      if (holder?.pid === process.pid) throw new DataDirInUseError(dataDir, holder);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not claim the embedded database in ${dataDir}`);
}
