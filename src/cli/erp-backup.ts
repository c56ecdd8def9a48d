import { MESSAGES, publicMessage } from '@/lib/backup/errors/errors';
import { interruptOperations } from '@/lib/backup/process/interrupt';
import { backupLog, setBackupLogSink } from '@/lib/backup/process/log';
import { loadEnv, type TEnv } from '@/lib/env';
import { loadEnvFiles } from '@/lib/env-files';
import { cliLogSink } from './cli-log';
import { parseCommandLine, usageOf } from './command-line';
import { startProgressBar } from './progress-bar';
import { createReporter } from './report';
import { handleStopSignals, signalExitCode } from './stop-signals';

/** Said whenever erp-backup exits before its operation recorded how it ended. */
const CLEAN_UP_LATER = 'an unfinished backup is marked FAILED the next time erp-backup runs or the backups page is opened';

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

/**
 * `erp-backup`: the operators' command line for the backup module. Every
 * command calls the same service functions as the dashboard; the commands
 * are a table (commands.ts). `--json` prints exactly the service result.
 * Exit codes: 0 success, 1 failure, 2 bad usage, 128 + the signal's number
 * when stopped by a signal.
 */
async function run(argv: string[]): Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'help' || line.kind === 'no-command') {
    process.stdout.write(`${usageOf()}\n`);
    return line.kind === 'help' ? 0 : 2;
  }
  if (line.kind === 'usage-error') {
    process.stderr.write(`erp-backup: ${line.message}\n\n${usageOf()}\n`);
    return 2;
  }
  const { command, invocation } = line;
  const report = createReporter(invocation.json);
  let stopProgress = () => {};
  const stoppedBy = handleStopSignals({
    stop: (reason) => {
      stopProgress();
      process.stderr.write(`erp-backup: ${reason}; stopping the running operation (a second signal exits at once)\n`);
      interruptOperations(reason);
    },
    abandon: (signal, why) => {
      stopProgress();
      report({
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
    report({ success: false, error: (error as Error).message, code: 'INVALID_INPUT' });
    return 1;
  }
  setBackupLogSink(cliLogSink(env.ERP_BACKUP_DEBUG === '1' && !invocation.json));
  try {
    if (command.needsKey && !env.BACKUP_ENCRYPTION_KEY) {
      report({ success: false, error: MESSAGES.keyMissing, code: 'KEY_MISSING' });
      return 1;
    }
    // Imported after the env files are loaded: the service reads its settings on first use.
    const backups = await import('@/lib/utils/backup-service');
    const stoppedEarly = stoppedBy();
    if (stoppedEarly) {
      // Asked to stop before it began: nothing to undo, so nothing is started.
      report({ success: false, error: `Interrupted: ${stoppedEarly.reason}`, code: 'INTERRUPTED' });
      return signalExitCode(stoppedEarly.signal);
    }
    stopProgress = invocation.json ? () => {} : startProgressBar();
    const outcome = await invocation.run({ backups, env });
    stopProgress();
    report(outcome.result, outcome.describe);
    const stopped = stoppedBy();
    return !outcome.result.success && stopped ? signalExitCode(stopped.signal) : outcome.exitCode;
  } catch (error) {
    // Outside the service's own error handling, such as a module that failed to load.
    stopProgress();
    backupLog(`erp-backup: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    report({ success: false, error: publicMessage(error), code: 'INTERNAL' });
    return 1;
  }
}

tolerateLostOutput();
const code = await run(process.argv.slice(2));
// Database pools would otherwise keep the process alive for their idle timeout.
process.exit(code);
