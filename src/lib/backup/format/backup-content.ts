import type { TBackupKey } from '../crypto/keys';
import type { TDocumentBlockEvent, TDocumentEvent } from './document-reader';
import { peekBackupFile, readBackupFile, readBackupFileBlocks } from './read-backup-file';

/**
 * A backup's document, wherever its bytes are: one encrypted file (a full
 * backup) or a manifest and its chunks (a snapshot, snapshot/snapshot-content.ts).
 * Restore, verify and drill read every backup through this, so both kinds
 * share one import and one set of checks. Each read authenticates what it
 * reads and fails (AUTH_FAILED, CORRUPT, FILE_MISSING) before its end
 * otherwise; consumers commit nothing until the stream has ended.
 */
export interface TBackupContent {
  /** The key that authenticated the backup (the one to seal anything derived from it with). */
  key: TBackupKey;
  /** The first event: the header (or a version 1 document whole). */
  peek(): Promise<TDocumentEvent>;
  /** The document's events, rows as unparsed blocks (the restore's bulk path). */
  blocks(): AsyncGenerator<TDocumentBlockEvent>;
  /** The document's events, rows parsed (verify). */
  events(): AsyncGenerator<TDocumentEvent>;
}

/** A full backup's file as content; `key` must already be the one that authenticates it (findFileKey). */
export function fileContent(filePath: string, key: TBackupKey): TBackupContent {
  return {
    key,
    peek: () => peekBackupFile(filePath, key),
    blocks: () => readBackupFileBlocks(filePath, key),
    events: () => readBackupFile(filePath, key),
  };
}
