// How a backup process (the erp-backup CLI, and the benchmark that measures
// it) runs Node. Its live data is small (a page of rows, a few gzip blocks),
// but V8 collects garbage late, so without a cap the heap grows to several
// hundred MiB of garbage. A 128 MiB old space and small semi-spaces keep the
// peak RSS of a scale-40 backup or restore under 256 MiB (docs/benchmark.md);
// one malloc arena stops the gzip threads from each keeping their own.
// A school storing single files of tens of megabytes can raise the cap with
// ERP_BACKUP_HEAP_MB (read here because it must be known before Node starts).
import fs from 'node:fs';
import path from 'node:path';

/**
 * The Node binary a backup process runs on: the project's own Node 24 when the install put it in
 * node_modules/.bin (the `node` dev dependency, which every npm script also finds first on its
 * PATH), so `./bin/erp-backup.mjs` started by an older system Node still runs on the supported one;
 * else the Node running this file (a project installed with --ignore-scripts on one's own Node).
 * @param {string} root the project directory
 */
export function backupProcessNode(root) {
  const projectNode = path.join(/* turbopackIgnore: true */ root, 'node_modules', '.bin', 'node');
  return fs.existsSync(projectNode) ? projectNode : process.execPath;
}

/** @param {Record<string, string | undefined>} env */
export function backupProcessExecArgv(env) {
  const heapMb = Number.parseInt(env.ERP_BACKUP_HEAP_MB ?? '', 10);
  return [
    `--max-old-space-size=${Number.isFinite(heapMb) && heapMb >= 64 ? heapMb : 128}`,
    '--max-semi-space-size=4',
    '--conditions=react-server',
  ];
}

/** @param {Record<string, string | undefined>} env */
export function backupProcessEnv(env) {
  return { ...env, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? '1' };
}
