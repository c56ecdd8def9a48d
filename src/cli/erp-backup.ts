import { parseArgs } from 'node:util';
import { loadEnvFiles } from '@/lib/env-files';
import { formatHuman } from './format-output';
import { startProgressBar } from './progress-bar';

/**
 * `erp-backup`: the operators' command line for the backup module. Every
 * command calls the same service functions as the dashboard. `--json`
 * prints exactly the service result. Exit codes: 0 success, 1 failure,
 * 2 bad usage.
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

Uses DATABASE_URL, or the embedded database in DATA_DIR, like the app.`;

class UsageError extends Error {}

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

function requireArg(args: string[], what: string): string {
  const [value, ...rest] = args;
  if (!value || rest.length > 0) throw new UsageError(`expected exactly one ${what}`);
  return value;
}

function requireYes(yes: boolean, command: string): void {
  if (!yes) throw new UsageError(`${command} changes data: add --yes to confirm`);
}

async function run(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    process.stderr.write(`erp-backup: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, command, args } = parsed;
  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  loadEnvFiles();
  // Imported after the env files are loaded: the service reads its settings on first use.
  const backups = await import('@/lib/utils/backup-service');
  const stopProgress = values.json ? () => {} : startProgressBar();
  try {
    const result = await (async () => {
      switch (command) {
        case 'create':
          if (args.length > 0) throw new UsageError('create takes no arguments');
          return backups.createBackup({
            models: values.models
              ?.split(',')
              .map((name) => name.trim())
              .filter(Boolean),
          });
        case 'list':
          if (args.length > 0) throw new UsageError('list takes no arguments');
          return backups.listBackups();
        case 'verify':
          return backups.verifyBackup(requireArg(args, 'backup id'));
        case 'restore': {
          const id = requireArg(args, 'backup id');
          requireYes(values.yes, 'restore');
          return backups.restoreBackup(id, { confirm: true, safetyBackup: !values['no-safety-backup'] });
        }
        case 'restore-file': {
          const file = requireArg(args, 'file path');
          requireYes(values.yes, 'restore-file');
          return backups.restoreFromFile(file, { confirm: true, safetyBackup: !values['no-safety-backup'] });
        }
        case 'delete': {
          const id = requireArg(args, 'backup id');
          requireYes(values.yes, 'delete');
          return backups.deleteBackup(id);
        }
        case 'sync':
          if (args.length > 0) throw new UsageError('sync takes no arguments');
          return backups.syncUploads();
        default:
          throw new UsageError(`unknown command "${command}"`);
      }
    })();
    stopProgress();
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if (result.success) process.stdout.write(`${formatHuman(command, result.data)}\n`);
    else process.stderr.write(`erp-backup: ${result.error}\n`);
    const verifiedBad = result.success && command === 'verify' && !(result.data as { valid: boolean }).valid;
    const syncIncomplete = result.success && command === 'sync' && (result.data as { failed: unknown[] }).failed.length > 0;
    return result.success && !verifiedBad && !syncIncomplete ? 0 : 1;
  } catch (error) {
    stopProgress();
    if (error instanceof UsageError) {
      process.stderr.write(`erp-backup: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

const code = await run(process.argv.slice(2));
// Database pools would otherwise keep the process alive for their idle timeout.
process.exit(code);
