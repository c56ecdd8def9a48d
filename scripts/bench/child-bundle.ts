import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { ENGINE_BUNDLE_OPTIONS } from '../build-cli.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE = 'scripts/bench/child.ts';
/** Inside the project (gitignored dist/), so its packages resolve from node_modules as the CLI's do. */
const BUNDLE = 'dist/bench/child.mjs';

/**
 * Compiles the measuring child (child.ts) the way scripts/build-cli.mjs
 * compiles the `erp-backup` CLI (ENGINE_BUNDLE_OPTIONS). Run from that
 * file, the child's peak RSS is a backup process's, not that plus tsx's
 * loader thread (about 22 MiB more, measured).
 * Returns the bundle's absolute path.
 */
export async function buildChildBundle(): Promise<string> {
  await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [SOURCE],
    outfile: BUNDLE,
    ...ENGINE_BUNDLE_OPTIONS,
    logLevel: 'warning',
  });
  return path.join(ROOT, BUNDLE);
}
