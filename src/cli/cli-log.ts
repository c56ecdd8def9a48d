/**
 * Lines that point into the code rather than say what happened: stack frames
 * ("    at fn (file:1:2)"), source positions ("/app/src/x.ts:12:37") and
 * Prisma's code excerpts ("→ 12   await prisma.backup.findMany(").
 */
const CODE_LOCATION = [/^\s*at\s/, /:\d+:\d+\)?$/, /^\s*(→\s*)?\d+\s/];

/**
 * The CLI's sink for the backup module's log lines, on stderr. Without
 * `showStacks` (ERP_BACKUP_DEBUG=1 in human mode, for whoever debugs the ERP
 * itself) only the lines that say what happened are kept: in --json mode
 * stderr may carry short lines for a human, never a stack.
 */
export function cliLogSink(showStacks: boolean): (message: string) => void {
  return (message) => {
    const text = showStacks
      ? message
      : message
          .split('\n')
          .filter((line) => line.trim() !== '' && !CODE_LOCATION.some((pattern) => pattern.test(line)))
          .join('\n');
    process.stderr.write(`${text}\n`);
  };
}
