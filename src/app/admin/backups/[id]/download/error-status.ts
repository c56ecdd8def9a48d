import type { TBackupErrorCode } from '@/lib/backup/errors/errors';

/**
 * The HTTP status of a download that could not start, by the service's
 * error code: the backup or its file is not there (404), it is in no state
 * to be downloaded (409), the off-site storage could not be reached (503),
 * anything else is the server's fault (500). Codes not listed are 500.
 */
const STATUS: Partial<Record<TBackupErrorCode, number>> = {
  INVALID_INPUT: 400,
  NOT_FOUND: 404,
  FILE_MISSING: 404,
  NOT_RESTORABLE: 409,
  BUSY: 409,
  STORAGE: 503,
};

export function downloadErrorStatus(code: TBackupErrorCode): number {
  return STATUS[code] ?? 500;
}
