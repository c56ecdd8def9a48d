import type { TServiceResult } from '@/lib/utils/backup-service';
import { formatHuman } from './format-output';

/**
 * Prints a command's one result: with --json exactly one JSON document on
 * stdout whatever happened (a result, a refusal, an interruption); otherwise
 * a human summary on stdout, or a single `erp-backup: <error>` line on stderr.
 * Only the first call prints, so an exit forced after a result adds nothing.
 */
export function createReporter(json: boolean): (command: string, result: TServiceResult<unknown>) => void {
  let printed = false;
  return (command, result) => {
    if (printed) return;
    printed = true;
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if (result.success) process.stdout.write(`${formatHuman(command, result.data)}\n`);
    else process.stderr.write(`erp-backup: ${result.error}\n`);
  };
}
