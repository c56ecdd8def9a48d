import type { TServiceResult } from '@/lib/utils/backup-service';

/**
 * Prints a command's one result: with --json exactly one JSON document on
 * stdout whatever happened (a result, a refusal, an interruption); otherwise
 * a human summary of a success (`describe`, from the command's table entry)
 * on stdout, or a single `erp-backup: <error>` line on stderr.
 * Only the first call prints, so an exit forced after a result adds nothing.
 */
export function createReporter(json: boolean): (result: TServiceResult<unknown>, describe?: () => string) => void {
  let printed = false;
  return (result, describe) => {
    if (printed) return;
    printed = true;
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else if (result.success) process.stdout.write(`${describe ? describe() : JSON.stringify(result.data, null, 2)}\n`);
    else process.stderr.write(`erp-backup: ${result.error}\n`);
  };
}
