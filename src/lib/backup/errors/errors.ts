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
  | 'DATABASE_UNAVAILABLE'
  | 'LOCK_LOST'
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
  /** A clause: what happened, to be followed by what it means for the operation. */
  connectionLost: 'the connection to the database was lost (the server restarted, failed over, or ended the session)',
  retryWhenReachable: 'Try again once the database is reachable',
} as const;

/**
 * Joins parts into one message with exactly one full stop after each,
 * whatever punctuation a part already ends with: a database's own sentence
 * ("Server has closed the connection.") followed by ours must not read
 * "connection.. Nothing was changed."
 */
export function sentences(...parts: string[]): string {
  return parts
    .map((part) => part.trim().replace(/[.\s]+$/, ''))
    .filter(Boolean)
    .map((part) => (/[!?]$/.test(part) ? part : `${part}.`))
    .join(' ');
}

/** A clause used to start a sentence: its first letter upper-cased. */
export function sentenceCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A message used inside another sentence: its first letter lower-cased, unless it starts an acronym ("ENOSPC"). */
export function clause(message: string): string {
  return /^[A-Z][a-z]/.test(message) ? message.charAt(0).toLowerCase() + message.slice(1) : message;
}

/** The message safe to show a user for any error: BackupError messages as they are, anything else generic. */
export function publicMessage(error: unknown): string {
  if (error instanceof BackupError) return error.message;
  return 'The backup operation failed unexpectedly; the server log has the details';
}

export function isNoSpaceError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as NodeJS.ErrnoException).code === 'ENOSPC';
}
