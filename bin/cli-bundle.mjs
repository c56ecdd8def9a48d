// Where the compiled `erp-backup` lives and whether it is current. Shared by
// the bin (which runs the bundle only when it is current), the build script and
// the test suite's global setup (which rebuild it when it is not).
//
// "Current" is decided from modification times: the build records the files
// it read (esbuild's metafile) and when it started; the bundle is stale if any
// of them changed after that or is gone. A stat of each (about two hundred
// files, a few milliseconds) is cheap next to starting Node, and it needs no
// hashing: an edit, a `git checkout` or a regenerated Prisma client all give a
// file a newer time, and a new import appears only through an edited file. A
// stale bundle is never run: the bin falls back to the sources through tsx,
// which is slower but always right.
import fs from 'node:fs';
import path from 'node:path';

/** The bundle, its source map and its manifest, relative to the project directory. */
export const CLI_BUNDLE = 'dist/cli/erp-backup.mjs';
export const CLI_MANIFEST = 'dist/cli/erp-backup.inputs.json';
/** The CLI's entry point in the sources (run through tsx when there is no current bundle). */
export const CLI_SOURCE = 'src/cli/erp-backup.ts';
/** The backup child process the web server forks (src/lib/backup/runtime/job-runner.ts), built beside the CLI. */
export const JOB_CHILD_BUNDLE = 'dist/cli/job-child.mjs';
export const JOB_CHILD_SOURCE = 'src/cli/job-child.ts';
/** The entry of the codec worker threads (src/lib/backup/format/codec-worker-script.ts), built beside the CLI. */
export const CODEC_WORKER_BUNDLE = 'dist/cli/codec-worker.mjs';
export const CODEC_WORKER_SOURCE = 'src/lib/backup/format/codec-worker.ts';
/** Every entry one build writes: all must be there for the build to be current. */
export const BUNDLES = [CLI_BUNDLE, JOB_CHILD_BUNDLE, CODEC_WORKER_BUNDLE];

/**
 * Why the bundle in `root` cannot be run, or null when it is current.
 * @param {string} root the project directory
 * @returns {string | null}
 */
export function cliBundleStaleness(root) {
  for (const bundle of BUNDLES) {
    if (!fs.existsSync(path.join(/* turbopackIgnore: true */ root, bundle))) return `${bundle} has not been built`;
  }
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(/* turbopackIgnore: true */ root, CLI_MANIFEST), 'utf8'));
  } catch {
    return `${CLI_MANIFEST} is missing or unreadable`;
  }
  for (const input of manifest.inputs) {
    let mtimeMs;
    try {
      mtimeMs = fs.statSync(path.join(/* turbopackIgnore: true */ root, input)).mtimeMs;
    } catch {
      return `${input} is gone`;
    }
    if (mtimeMs > manifest.startedAt) return `${input} changed after the build`;
  }
  return null;
}
