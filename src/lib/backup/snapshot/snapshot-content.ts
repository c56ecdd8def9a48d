import type { TBackupKey } from '../crypto/keys';
import type { TBackupContent } from '../format/backup-content';
import { readDocument, readDocumentBlocks } from '../format/document-reader';
import type { TManifest } from './manifest';
import { snapshotDocument, type TChunkFetch, type TSnapshotReadOptions } from './snapshot-reader';

/**
 * A snapshot as backup content: its manifest gives the header at once (no
 * chunk is read for it), and its rebuilt document goes through the same
 * document readers as a full backup's, which check it line by line.
 */
export function snapshotContent(
  manifest: TManifest,
  key: TBackupKey,
  fetch: TChunkFetch,
  options: TSnapshotReadOptions = {},
): TBackupContent {
  const plaintext = () => snapshotDocument(manifest, key, fetch, options);
  return {
    key,
    peek: async () => ({ kind: 'header', version: manifest.documentVersion, header: manifest.header }),
    blocks: () => readDocumentBlocks(plaintext()),
    events: () => readDocument(plaintext()),
  };
}
