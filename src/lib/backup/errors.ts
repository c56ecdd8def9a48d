/**
 * Typed errors of the backup module. Services throw `BackupError`; only the
 * boundaries (the facade, actions, CLI) turn them into `{ success: false, error }`.
 * Messages are written for the administrator who reads them: they name what
 * went wrong and what to do, never a secret, a stack or a driver internal.
 */
export type TBackupErrorCode =
  | 'NOT_FOUND'
  | 'FILE_MISSING'
  | 'INVALID_INPUT'
  | 'KEY_INVALID'
  | 'KEY_MISSING'
  | 'AUTH_FAILED'
  | 'UNSUPPORTED_VERSION'
  | 'CORRUPT'
  | 'BUSY'
  | 'NO_SPACE'
  | 'CONFIRMATION_REQUIRED'
  | 'RESTORE_FAILED'
  | 'NOT_RESTORABLE'
  | 'STORAGE'
  | 'INTERRUPTED'
  | 'INTERNAL';

export class BackupError extends Error {
  constructor(
    readonly code: TBackupErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BackupError';
  }
}

export const MESSAGES = {
  fileMissing: 'Backup file not found on disk',
  keyInvalid: 'Encryption key must be 64 hex characters',
  keyMissing:
    'BACKUP_ENCRYPTION_KEY is not set. Generate one with `openssl rand -hex 32`, store it in a password manager and set it in .env or the environment; without it, backups cannot be made or read.',
  authFailed: 'authentication failed: wrong key or the file was modified',
  busy: 'a backup or restore is already running',
  noSpace: 'Not enough disk space to write the backup (ENOSPC): free space in BACKUP_DIR and try again',
} as const;

/** The message safe to show a user for any error: BackupError messages as they are, anything else generic. */
export function publicMessage(error: unknown): string {
  if (error instanceof BackupError) return error.message;
  return 'The backup operation failed unexpectedly; the server log has the details';
}

export function isNoSpaceError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === 'ENOSPC';
}
