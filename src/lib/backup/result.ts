import { BackupError, publicMessage, type TBackupErrorCode } from './errors';

/** What every public backup function returns: data, or an error a user can read. */
export type TServiceResult<T> = { success: true; data: T } | { success: false; error: string; code: TBackupErrorCode };

/** Runs an operation and turns a thrown error into `{ success: false }`, logging what the user must not see. */
export async function toResult<T>(operation: () => Promise<T>, log: (message: string) => void = console.error): Promise<TServiceResult<T>> {
  try {
    return { success: true, data: await operation() };
  } catch (error) {
    if (!(error instanceof BackupError) || error.code === 'INTERNAL')
      log(`[backup] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { success: false, error: publicMessage(error), code: error instanceof BackupError ? error.code : 'INTERNAL' };
  }
}
