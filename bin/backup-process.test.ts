import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backupProcessNode } from './backup-process.mjs';

describe('backupProcessNode', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-node-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("picks the project's own Node from node_modules/.bin when the install put it there", () => {
    const root = path.join(tmp, 'with-node');
    const projectNode = path.join(root, 'node_modules', '.bin', 'node');
    fs.mkdirSync(path.dirname(projectNode), { recursive: true });
    fs.writeFileSync(projectNode, '');
    expect(backupProcessNode(root)).toBe(projectNode);
  });

  it('falls back to the Node running the bin when the project has none (installed on your own Node)', () => {
    const root = path.join(tmp, 'without-node');
    fs.mkdirSync(path.join(root, 'node_modules', '.bin'), { recursive: true });
    expect(backupProcessNode(root)).toBe(process.execPath);
  });

  it('ignores a dangling link left where the Node download did not run', () => {
    const root = path.join(tmp, 'dangling');
    fs.mkdirSync(path.join(root, 'node_modules', '.bin'), { recursive: true });
    fs.symlinkSync('../node/bin/node', path.join(root, 'node_modules', '.bin', 'node'));
    expect(backupProcessNode(root)).toBe(process.execPath);
  });
});
