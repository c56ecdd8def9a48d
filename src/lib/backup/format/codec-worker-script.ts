import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliBundleStaleness } from '../../../../bin/cli-bundle.mjs';

/** What a codec worker thread runs: the compiled worker, or its TypeScript source through tsx. */
export interface TWorkerScript {
  file: string;
  execArgv: string[];
}

const COMPILED = 'dist/cli/codec-worker.mjs';
const SOURCE = 'src/lib/backup/format/codec-worker.ts';

/**
 * The codec worker is compiled with the CLI (scripts/build-cli.mjs), so a
 * worker starts on plain JavaScript in every process that runs backups: the
 * CLI bundle, the web server and the tests (whose global setup builds it).
 * While the compiled files are stale (a source was edited since), the worker
 * runs its sources through tsx instead, like the bin does: slower to start,
 * never out of date.
 */
export function codecWorkerScript(): TWorkerScript {
  const root = projectRoot();
  if (cliBundleStaleness(root) === null && fs.existsSync(path.join(root, COMPILED))) {
    return { file: path.join(root, COMPILED), execArgv: [] };
  }
  const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
  return { file: path.join(root, SOURCE), execArgv: [`--import=${tsx}`] };
}

/**
 * The project directory: the nearest folder above this module (in src/, in
 * the CLI bundle under dist/cli/, or in Next's output under .next/) that holds
 * the bin's bundle manifest helper; the working directory if none does.
 */
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'bin', 'cli-bundle.mjs')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}
