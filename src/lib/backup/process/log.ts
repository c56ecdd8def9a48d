/**
 * Where the backup module's log lines go in this process. By default the
 * process's stderr (the app's server log, stacks included). A process with
 * its own output rules, such as the CLI whose `--json` mode must not put a
 * stack on stderr, sets its own sink once at start-up.
 */
let sink: (message: string) => void = (message) => console.error(message);

/** Writes one log line (possibly with a stack) to this process's sink. */
export function backupLog(message: string): void {
  sink(message);
}

/** Replaces this process's sink. */
export function setBackupLogSink(next: (message: string) => void): void {
  sink = next;
}
