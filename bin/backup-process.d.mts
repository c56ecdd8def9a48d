/** The Node binary a backup process runs on (see backup-process.mjs). */
export function backupProcessNode(root: string): string;
/** Node flags of a backup process (see backup-process.mjs). */
export function backupProcessExecArgv(env: Record<string, string | undefined>): string[];
/** Environment of a backup process (see backup-process.mjs). */
export function backupProcessEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
