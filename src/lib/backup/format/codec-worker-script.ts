import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '@/lib/os/project-root';
import { CODEC_WORKER_BUNDLE, CODEC_WORKER_SOURCE, cliBundleStaleness } from '../../../../bin/cli-bundle.mjs';

/** What a codec worker thread runs: the compiled worker, or its TypeScript source through tsx. */
export interface TWorkerScript {
  file: string;
  execArgv: string[];
}

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
  if (cliBundleStaleness(root) === null) {
    return { file: path.join(root, CODEC_WORKER_BUNDLE), execArgv: [] };
  }
  const tsx = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
  return { file: path.join(root, CODEC_WORKER_SOURCE), execArgv: [`--import=${tsx}`] };
}
