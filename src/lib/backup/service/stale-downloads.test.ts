import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanStaleDownloads, downloadTempPath } from './stale-downloads';

describe('downloads left by a verify or restore that did not finish', () => {
  const dirs: string[] = [];
  const children: ReturnType<typeof spawn>[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("removes those of dead processes and old ones, keeps a live process's download and everything else", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-downloads-'));
    dirs.push(dir);
    // Real processes: one that has exited (its pid is free), one still running.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const live = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    children.push(live);
    const file = (name: string) => {
      fs.writeFileSync(path.join(dir, name), 'x');
      return name;
    };
    const deadOnes = file(`.tmp-download-${dead}-0a1b2c3d4e5f-backup-a.enc`);
    const liveOne = file(`.tmp-download-${live.pid}-0a1b2c3d4e5f-backup-b.enc`);
    const liveButOld = file(`.tmp-download-${live.pid}-ffffffffffff-backup-c.enc`);
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
    fs.utimesSync(path.join(dir, liveButOld), twoDaysAgo, twoDaysAgo);
    const fromBeforePids = file('.tmp-download-9f8e7d6c5b4a-backup-d.enc');
    const others = [file('backup-20260101T000000Z-deadbeef.enc'), file('.tmp-backup-20260101T000000Z-deadbeef.enc')];

    expect((await cleanStaleDownloads(dir)).sort()).toEqual([deadOnes, fromBeforePids, liveButOld].sort());
    expect(fs.readdirSync(dir).sort()).toEqual([liveOne, ...others].sort());
  });

  it('names a download after this process, so a later start-up can tell whose it is', () => {
    const name = path.basename(downloadTempPath('/backups', 'backups/backup-20260101T000000Z-deadbeef.enc'));
    expect(name).toMatch(new RegExp(`^\\.tmp-download-${process.pid}-[0-9a-f]{12}-backup-20260101T000000Z-deadbeef\\.enc$`));
  });

  it('does nothing when the backup directory does not exist yet', async () => {
    expect(await cleanStaleDownloads(path.join(os.tmpdir(), 'erp-no-such-dir-'))).toEqual([]);
  });
});
