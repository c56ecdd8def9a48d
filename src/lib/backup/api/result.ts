import { BackupError, publicMessage, type TBackupErrorCode } from '../errors/errors';
import { backupLog } from '../process/log';

/** What every public backup function returns: data, or an error a user can read. */
export type TServiceResult<T> = { success: true; data: T } | { success: false; error: string; code: TBackupErrorCode };

/** Runs an operation and turns a thrown error into `{ success: false }`, logging what the user must not see. */
export async function toResult<T>(operation: () => Promise<T>, log: (message: string) => void = backupLog): Promise<TServiceResult<T>> {
  try {
    return { success: true, data: await operation() };
  } catch (caught) {
    const error = schemaBehind(caught) ?? caught;
    if (!(error instanceof BackupError) || error.code === 'INTERNAL')
      log(`[backup] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { success: false, error: publicMessage(error), code: error instanceof BackupError ? error.code : 'INTERNAL' };
  }
}

/** Prisma's codes for a table or column the client expects but the database lacks. */
const SCHEMA_BEHIND_CODES = new Set(['P2021', 'P2022']);

/** A database older than the code is a common operator mistake; say what to run instead of "failed unexpectedly". */
function schemaBehind(error: unknown): BackupError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !SCHEMA_BEHIND_CODES.has(code)) return null;
  return new BackupError('INTERNAL', 'The database schema is older than this version of the ERP: run `npm run db:migrate` first', {
    cause: error,
  });
}
