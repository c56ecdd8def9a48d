import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { claimDataDir, DataDirInUseError } from './pglite-holder';

describe('embedded database holder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-holder-'));
  const dataDir = path.join(dir, 'data');
  afterEach(() => fs.rmSync(`${dataDir}.holder`, { force: true }));

  it('lets one process hold the data directory and names it to a second claimant', () => {
    const release = claimDataDir(dataDir);
    try {
      let error: unknown;
      try {
        claimDataDir(dataDir);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DataDirInUseError);
      expect((error as Error).message).toContain(`already open in process ${process.pid}`);
    } finally {
      release();
    }
    expect(fs.existsSync(`${dataDir}.holder`)).toBe(false);
  });

  it('refuses a claim held by another live process', () => {
    fs.writeFileSync(`${dataDir}.holder`, JSON.stringify({ pid: process.ppid, command: 'next start', since: '2026-01-01T00:00:00Z' }));
    expect(() => claimDataDir(dataDir)).toThrow(/already open in process \d+ \(next start/);
  });

  it('takes over a holder file left by a process that died', () => {
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']);
    fs.writeFileSync(
      `${dataDir}.holder`,
      JSON.stringify({ pid: Number(String(dead.stdout).trim()), command: 'killed', since: '2026-01-01T00:00:00Z' }),
    );
    const release = claimDataDir(dataDir);
    expect(JSON.parse(fs.readFileSync(`${dataDir}.holder`, 'utf8')).pid).toBe(process.pid);
    release();
  });
});
