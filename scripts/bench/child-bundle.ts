import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE = 'scripts/bench/child.ts';
/** Inside the project (gitignored dist/), so its packages resolve from node_modules as the CLI's do. */
const BUNDLE = 'dist/bench/child.mjs';

/**
 * Compiles the measuring child (child.ts) the way scripts/build-cli.mjs
 * compiles the `erp-backup` CLI: one ES module of the engine's sources, the
 * packages loaded from node_modules. Run from that file, the child's peak RSS
 * is a backup process's, not that plus tsx's loader thread (about 35 MiB).
 * Returns the bundle's absolute path.
 */
export async function buildChildBundle(): Promise<string> {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [SOURCE],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    packages: 'external',
    conditions: ['react-server'],
    tsconfig: 'tsconfig.json',
    logLevel: 'warning',
  });
  return path.join(ROOT, BUNDLE);
}
