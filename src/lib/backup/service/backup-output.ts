import type { Prisma } from '@/generated/prisma/client';
import type { TBackupHeader } from '../format/document';
import type { TOperationLock } from '../lock/operation-lock';
import type { TProgress } from '../process/progress';
import type { TBackupModel } from '../schema/models';

/** What writing a backup's data produced: the header it holds and the fields its row records. */
export interface TWrittenBackup {
  header: TBackupHeader;
  row: Pick<
    Prisma.BackupUpdateManyMutationInput,
    | 'sizeBytes'
    | 'sha256'
    | 'modelDigests'
    | 'logicalBytes'
    | 'storedBytes'
    | 'chunksNew'
    | 'chunksReused'
    | 'location'
    | 'objectKey'
    | 'uploadError'
  >;
  /** Audit details beside the common ones (an upload's error, chunk counts). */
  details: Record<string, unknown>;
}

/**
 * Where a backup's data goes: one encrypted file (full-backup-output.ts) or
 * a snapshot's chunks and manifest (snapshot-output.ts). `create-backup.ts`
 * owns the row and the lock; an output owns its bytes.
 */
export interface TBackupOutput {
  /** Writes the data of `models` (consistent snapshot of the database) and stores it in its final place(s). */
  write(models: TBackupModel[], partial: boolean, progress: TProgress, lock: TOperationLock): Promise<TWrittenBackup>;
  /** Called once the row is COMPLETED (a full backup stored only off-site drops its local file then). */
  completed(written: TWrittenBackup): Promise<void>;
  /** Removes what no row can point at; runs first on failure. */
  removeTemporary(): Promise<void>;
  /** Removes what was stored under the final names; runs on failure only once the row is FAILED. */
  removeOutputs(): Promise<void>;
}
