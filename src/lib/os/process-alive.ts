/**
 * Whether a process with this id runs on this machine: how a file or
 * directory named after the process that made it (a download, a drill's
 * database, the embedded database's holder) is known to be abandoned.
 * EPERM means it exists but belongs to another user.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
