import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLES, CLI_BUNDLE, CLI_MANIFEST, cliBundleStaleness } from './cli-bundle.mjs';

describe('cliBundleStaleness', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-bundle-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A project with a source file and a bundle built at `startedAt` from it. */
  const project = (name: string, startedAt: number) => {
    const root = path.join(tmp, name);
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.mkdirSync(path.join(root, path.dirname(CLI_BUNDLE)), { recursive: true });
    fs.writeFileSync(path.join(root, 'src/a.ts'), 'export {};\n');
    fs.utimesSync(path.join(root, 'src/a.ts'), new Date(startedAt - 60_000), new Date(startedAt - 60_000));
    for (const bundle of BUNDLES) fs.writeFileSync(path.join(root, bundle), '');
    fs.writeFileSync(path.join(root, CLI_MANIFEST), JSON.stringify({ startedAt, inputs: ['src/a.ts'], outputs: BUNDLES }));
    return root;
  };

  it('is current when no input changed since the build started', () => {
    expect(cliBundleStaleness(project('current', Date.now()))).toBeNull();
  });

  it('is stale when an input changed after the build started (an edit, a checkout, a regenerated client)', () => {
    const root = project('edited', Date.now() - 120_000);
    fs.writeFileSync(path.join(root, 'src/a.ts'), 'export const edited = 1;\n');
    expect(cliBundleStaleness(root)).toBe('src/a.ts changed after the build');
  });

  it('is stale when an input is gone, or there is no bundle or no manifest', () => {
    const gone = project('gone', Date.now());
    fs.rmSync(path.join(gone, 'src/a.ts'));
    expect(cliBundleStaleness(gone)).toBe('src/a.ts is gone');

    // The CLI, the backup child and the codec worker: each one missing makes the build stale.
    expect(BUNDLES).toHaveLength(3);
    for (const [index, bundle] of BUNDLES.entries()) {
      const missing = project(`no-bundle-${index}`, Date.now());
      fs.rmSync(path.join(missing, bundle));
      expect(cliBundleStaleness(missing)).toBe(`${bundle} has not been built`);
    }

    const noManifest = project('no-manifest', Date.now());
    fs.rmSync(path.join(noManifest, CLI_MANIFEST));
    expect(cliBundleStaleness(noManifest)).toBe(`${CLI_MANIFEST} is missing or unreadable`);
  });
});
