import { parseArgs } from 'node:util';
import type { TServiceResult } from '@/lib/backup/api/result';
import { MESSAGES, publicMessage } from '@/lib/backup/errors/errors';
import { interruptOperations } from '@/lib/backup/process/interrupt';
import { backupLog, setBackupLogSink } from '@/lib/backup/process/log';
import { loadEnv, type TEnv } from '@/lib/env';
import { loadEnvFiles } from '@/lib/env-files';
import { cliLogSink } from './cli-log';
import { startProgressBar } from './progress-bar';
import { createReporter } from './report';
import { handleStopSignals, signalExitCode } from './stop-signals';

/**
 * `erp-backup`: the operators' command line for the backup module. Every
 * command calls the same service functions as the dashboard. `--json`
 * prints exactly the service result. Exit codes: 0 success, 1 failure,
 * 2 bad usage, 128 + the signal's number when stopped by a signal.
 */
const USAGE = `Usage: erp-backup <command> [options]

Commands:
  create [--models A,B]                     back up the database (or only the given models)
  list                                      list backups, newest first
  verify <id>                               check a backup's file, checksum, auth tag and content
  restore <id> --yes [--no-safety-backup]   replace the current data with a backup
  restore-file <path|s3://bucket/key> --yes restore from a backup file or off-site object (disaster recovery)
  delete <id> --yes                         delete a backup's file (and off-site copy) and mark it deleted
  sync                                      upload completed backups that have no off-site copy yet

Options:
  --json    print the result as JSON ({"success":true,"data":...} or {"success":false,"error":"..."})
  --help    show this help

Uses DATABASE_URL, or the embedded database in DATA_DIR, like the app.
create, verify, restore and restore-file need BACKUP_ENCRYPTION_KEY.`;

/** Commands that encrypt or decrypt: without the key they are refused before anything runs. */
const NEEDS_KEY = new Set(['create', 'verify', 'restore', 'restore-file']);

/** Said whenever erp-backup exits before its operation recorded how it ended. */
const CLEAN_UP_LATER = 'an unfinished backup is marked FAILED the next time erp-backup runs or the backups page is opened';

class UsageError extends Error {}

type TBackups = typeof import('@/lib/utils/backup-service');
type TCall = (backups: TBackups) => Promise<TServiceResult<unknown>>;

function parse(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      'no-safety-backup': { type: 'boolean', default: false },
      models: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  return { values, command: positionals[0], args: positionals.slice(1) };
}

type TParsed = ReturnType<typeof parse>;

function requireArg(args: string[], what: string): string {
  const [value, ...rest] = args;
  if (!value || rest.length > 0) throw new UsageError(`expected exactly one ${what}`);
  return value;
}

function requireNoArgs(args: string[], command: string): void {
  if (args.length > 0) throw new UsageError(`${command} takes no arguments`);
}

function requireYes(yes: boolean, command: string): void {
  if (!yes) throw new UsageError(`${command} changes data: add --yes to confirm`);
}

/** The service call of a command line, with its usage checked before anything runs. */
function callOf({ values, command, args }: TParsed): TCall {
  switch (command) {
    case 'create': {
      requireNoArgs(args, 'create');
      const models = values.models
        ?.split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      return (backups) => backups.createBackup({ models });
    }
    case 'list':
      requireNoArgs(args, 'list');
      return (backups) => backups.listBackups();
    case 'verify': {
      const id = requireArg(args, 'backup id');
      return (backups) => backups.verifyBackup(id);
    }
    case 'restore': {
      const id = requireArg(args, 'backup id');
      requireYes(values.yes, 'restore');
      return (backups) => backups.restoreBackup(id, { confirm: true, safetyBackup: !values['no-safety-backup'] });
    }
    case 'restore-file': {
      const file = requireArg(args, 'file path');
      requireYes(values.yes, 'restore-file');
      return (backups) => backups.restoreFromFile(file, { confirm: true, safetyBackup: !values['no-safety-backup'] });
    }
    case 'delete': {
      const id = requireArg(args, 'backup id');
      requireYes(values.yes, 'delete');
      return (backups) => backups.deleteBackup(id);
    }
    case 'sync':
      requireNoArgs(args, 'sync');
      return (backups) => backups.syncUploads();
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** 0, or 1 for a failure, a backup that fails verification or an upload left to do. */
function exitCodeOf(command: string, result: TServiceResult<unknown>): number {
  if (!result.success) return 1;
  if (command === 'verify' && !(result.data as { valid: boolean }).valid) return 1;
  if (command === 'sync' && (result.data as { failed: unknown[] }).failed.length > 0) return 1;
  return 0;
}

/**
 * A terminal that hung up (SIGHUP) or a reader that went away makes writes
 * fail with EIO or EPIPE, and an unhandled stream error would end the process
 * before the interrupted operation records how it ended. The output has
 * nowhere to go then, so it is dropped; any other stream error still throws.
 */
function tolerateLostOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EIO' && error.code !== 'EPIPE') throw error;
    });
  }
}

async function run(argv: string[]): Promise<number> {
  let parsed: TParsed;
  let call: TCall;
  try {
    parsed = parse(argv);
    if (parsed.values.help || !parsed.command) {
      process.stdout.write(`${USAGE}\n`);
      return parsed.values.help ? 0 : 2;
    }
    call = callOf(parsed);
  } catch (error) {
    process.stderr.write(`erp-backup: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { command, values } = parsed as TParsed & { command: string };
  const report = createReporter(values.json);
  let stopProgress = () => {};
  const stoppedBy = handleStopSignals({
    stop: (reason) => {
      stopProgress();
      process.stderr.write(`erp-backup: ${reason}; stopping the running operation (a second signal exits at once)\n`);
      interruptOperations(reason);
    },
    abandon: (signal, why) => {
      stopProgress();
      report(command, {
        success: false,
        error: `Interrupted: ${why}, so erp-backup exited without waiting; ${CLEAN_UP_LATER}`,
        code: 'INTERRUPTED',
      });
      process.exit(signalExitCode(signal));
    },
  });
  let env: TEnv;
  try {
    loadEnvFiles();
    env = loadEnv();
  } catch (error) {
    report(command, { success: false, error: (error as Error).message, code: 'INVALID_INPUT' });
    return 1;
  }
  setBackupLogSink(cliLogSink(env.ERP_BACKUP_DEBUG === '1' && !values.json));
  try {
    if (NEEDS_KEY.has(command) && !env.BACKUP_ENCRYPTION_KEY) {
      report(command, { success: false, error: MESSAGES.keyMissing, code: 'KEY_MISSING' });
      return 1;
    }
    // Imported after the env files are loaded: the service reads its settings on first use.
    const backups = await import('@/lib/utils/backup-service');
    const stoppedEarly = stoppedBy();
    if (stoppedEarly) {
      // Asked to stop before it began: nothing to undo, so nothing is started.
      report(command, { success: false, error: `Interrupted: ${stoppedEarly.reason}`, code: 'INTERRUPTED' });
      return signalExitCode(stoppedEarly.signal);
    }
    stopProgress = values.json ? () => {} : startProgressBar();
    const result = await call(backups);
    stopProgress();
    report(command, result);
    const stopped = stoppedBy();
    return !result.success && stopped ? signalExitCode(stopped.signal) : exitCodeOf(command, result);
  } catch (error) {
    // Outside the service's own error handling, such as a module that failed to load.
    stopProgress();
    backupLog(`erp-backup: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    report(command, { success: false, error: publicMessage(error), code: 'INTERNAL' });
    return 1;
  }
}

tolerateLostOutput();
const code = await run(process.argv.slice(2));
// Database pools would otherwise keep the process alive for their idle timeout.
process.exit(code);
