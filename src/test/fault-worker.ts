import readline from 'node:readline';
import { z } from 'zod';
import { SYSTEM_ACTOR } from '@/lib/audit/audit-log';
import { toResult } from '@/lib/backup/api/result';
import { createKeyring } from '@/lib/backup/crypto/keys';
import { createBackup, restoreBackup, type TBackupDeps } from '@/lib/backup/service';
import { LocalStorage } from '@/lib/backup/storage';
import { createDb } from '@/lib/db/client';

/**
 * A backup process for the crash tests (crash.integration.test.ts): runs one
 * backup or restore on a database, as the CLI's worker would, and
 * can stop at a chosen point of its progress until the parent says `go` on
 * stdin (the parent kills it there, or cuts its connections first).
 *
 * Prints `PAUSED <progress JSON>` when it stops and `RESULT <result JSON>`
 * at the end. It never calls process.exit: it ends when its event loop is
 * empty, so a promise left pending shows as exit code 13 and a handle left
 * open as a process that does not end.
 */
export const ZWorkerConfig = z.object({
  target: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('postgres'), url: z.string() }),
    z.object({ kind: z.literal('pglite'), dataDir: z.string() }),
  ]),
  backupDir: z.string(),
  keyHex: z.string(),
  operation: z.enum(['create', 'restore']),
  /** What `create` makes: a full backup (default) or a snapshot. */
  kind: z.enum(['FULL', 'INCREMENTAL']).optional(),
  backupId: z.string().optional(),
  /** With it, backups are also copied there (an off-site storage on disk), which adds the `uploading` phase after the rename. */
  offsiteDir: z.string().optional(),
  pause: z.object({ operation: z.enum(['backup', 'restore']), phase: z.string(), occurrence: z.number().int().positive() }).optional(),
});

export type TWorkerConfig = z.input<typeof ZWorkerConfig>;

const config = ZWorkerConfig.parse(JSON.parse(process.argv[2] ?? '{}'));
const input = readline.createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();
const db = await createDb(config.target);
let seen = 0;
const deps: TBackupDeps = {
  db,
  backupDir: config.backupDir,
  keyring: createKeyring(config.keyHex),
  audit: SYSTEM_ACTOR,
  log: (message) => process.stderr.write(`${message}\n`),
  offsite: config.offsiteDir ? { mode: 'both', storage: new LocalStorage(config.offsiteDir) } : undefined,
  onProgress: async (progress) => {
    const { pause } = config;
    if (!pause || progress.operation !== pause.operation || progress.phase !== pause.phase) return;
    if (progress.phase !== 'finishing' && progress.phase !== 'uploading' && progress.rowsDone === 0) return;
    if (++seen !== pause.occurrence) return;
    process.stdout.write(`PAUSED ${JSON.stringify(progress)}\n`);
    await lines.next();
  },
};
const run = (): Promise<unknown> =>
  config.operation === 'create'
    ? createBackup({ kind: config.kind }, deps)
    : restoreBackup(config.backupId ?? '', { confirm: true, safetyBackup: false }, deps);
const result = await toResult(run, (message) => process.stderr.write(`${message}\n`));
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
await db.close();
input.close();
process.stdin.destroy();
process.exitCode = result.success ? 0 : 1;
