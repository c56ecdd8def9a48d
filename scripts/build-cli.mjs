// `npm run build:cli`: compiles the `erp-backup` CLI (src/cli/erp-backup.ts and
// everything it imports from src/, the generated Prisma client included) into
// one ES module, dist/cli/erp-backup.mjs (and the web server's backup child
// process, src/cli/job-child.ts, into dist/cli/job-child.mjs), so a call starts Node on plain
// JavaScript instead of compiling TypeScript through tsx every time. Runs after
// `prisma generate` in postinstall, before `next build` in `npm run build`, and
// from the test suite's global setup when the bundle is stale (bin/cli-bundle.mjs).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import {
  CLI_BUNDLE,
  CLI_MANIFEST,
  CLI_SOURCE,
  CODEC_WORKER_BUNDLE,
  CODEC_WORKER_SOURCE,
  cliBundleStaleness,
  JOB_CHILD_BUNDLE,
  JOB_CHILD_SOURCE,
} from '../bin/cli-bundle.mjs';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Files that shape the bundle without being imported by it: a change to them makes it stale too. */
const CONFIG_INPUTS = ['tsconfig.json', 'scripts/build-cli.mjs', 'bin/cli-bundle.mjs'];

/**
 * How the backup engine is compiled to run under plain Node: one ES module
 * per entry, the engine's sources inside, the packages loaded from
 * node_modules at run time, as under tsx: Prisma's query compiler, PGlite and
 * the schema engine find their .wasm and data files next to their own
 * modules, and `server-only` resolves to its no-op under the `react-server`
 * condition the bin passes to Node (backup-process.mjs). The `@/` aliases
 * come from tsconfig.json's `paths`, like everywhere else. Shared with the
 * benchmark's measuring child (scripts/bench/child-bundle.ts).
 */
export const ENGINE_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  packages: 'external',
  conditions: ['react-server'],
  tsconfig: 'tsconfig.json',
};

/** An entry's output name: its bundle's file name without `.mjs`. */
const entryName = (bundle) => path.basename(bundle, '.mjs');

/** Builds the bundle, replacing the previous one only once the new one is complete. */
export async function buildCli() {
  const startedAt = Date.now();
  const result = await esbuild.build({
    absWorkingDir: root,
    // Built beside the CLI and sharing its chunks: the backup child process the web server forks
    // (the service, the drivers), and the codec worker threads' entry (codec-worker-script.ts), so
    // every process that runs a backup starts them on plain JavaScript.
    entryPoints: {
      [entryName(CLI_BUNDLE)]: CLI_SOURCE,
      [entryName(JOB_CHILD_BUNDLE)]: JOB_CHILD_SOURCE,
      [entryName(CODEC_WORKER_BUNDLE)]: CODEC_WORKER_SOURCE,
    },
    outdir: path.dirname(CLI_BUNDLE),
    outExtension: { '.js': '.mjs' },
    // The service, its database drivers and the S3 SDK are imported only once a command is
    // known to run (erp-backup.ts imports the facade dynamically): as a chunk of their own
    // they stay unloaded for --help and usage errors, and load after the .env files are read.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    ...ENGINE_BUNDLE_OPTIONS,
    // ERP_BACKUP_DEBUG stack traces point at the TypeScript (the bin runs Node with --enable-source-maps).
    sourcemap: 'linked',
    sourcesContent: false,
    metafile: true,
    write: false,
    logLevel: 'warning',
  });
  const inputs = [...Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/')), ...CONFIG_INPUTS];
  const outputs = result.outputFiles.map((file) => path.relative(root, file.path));
  const previous = readManifestOutputs();
  // Chunks carry a hash in their names, so they are written first and never overwrite a chunk in
  // use; the entry and its map are renamed into place, and the manifest last: until it is, a new
  // entry beside an old manifest reads as stale (run from source), never as current.
  const ordered = [...result.outputFiles].sort((a, b) => Number(isChunk(b.path)) - Number(isChunk(a.path)));
  const files = [
    ...ordered.map((file) => ({ path: file.path, contents: file.contents })),
    { path: path.join(root, CLI_MANIFEST), contents: `${JSON.stringify({ startedAt, inputs, outputs }, null, 1)}\n` },
  ];
  for (const file of files) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(`${file.path}.${process.pid}.tmp`, file.contents);
    fs.renameSync(`${file.path}.${process.pid}.tmp`, file.path);
  }
  // The previous build's chunks stay one generation, for a CLI that started on its entry just before.
  const keep = new Set([...outputs, ...previous]);
  for (const chunk of fs.readdirSync(path.join(root, CHUNKS_DIR))) {
    const relative = path.join(CHUNKS_DIR, chunk);
    if (!keep.has(relative)) fs.rmSync(path.join(root, relative), { force: true });
  }
  return inputs.length;
}

const CHUNKS_DIR = path.join(path.dirname(CLI_BUNDLE), 'chunks');
const isChunk = (file) => path.relative(root, file).startsWith(`${CHUNKS_DIR}${path.sep}`);

/** The files the previous build wrote, or none. */
function readManifestOutputs() {
  try {
    return JSON.parse(fs.readFileSync(path.join(root, CLI_MANIFEST), 'utf8')).outputs ?? [];
  } catch {
    return [];
  }
}

/** Builds the bundle unless it is current; returns why it was built, or null. */
export async function ensureCliBuilt() {
  const stale = cliBundleStaleness(root);
  if (stale) await buildCli();
  return stale;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const inputs = await buildCli();
  console.log(`Built ${CLI_BUNDLE} from ${inputs} files in ${Date.now() - started} ms.`);
}
