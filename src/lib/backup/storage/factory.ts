import type { TStorageConfig } from './config';
import { LocalStorage } from './local-storage';
import { type TRetryOptions, withRetries } from './retrying-storage';
import { S3Storage } from './s3-storage';
import type { BackupStorage } from './types';

/** The storages a backup is written to: `primary` first, then the optional off-site `secondary`. */
export interface TStorages {
  primary: BackupStorage;
  secondary?: BackupStorage;
}

/**
 * Builds the backends for `config`, each wrapped with `withRetries`:
 * `local` → local only, `s3` → S3 only, `both` → local primary and S3 off-site copy.
 */
export function createStorages(config: TStorageConfig, retry?: TRetryOptions): TStorages {
  const local = () => withRetries(new LocalStorage(config.localDir), retry);
  const s3 = () => {
    if (config.s3 === undefined) throw new Error(`Backup storage mode ${config.mode} needs S3 settings (S3_BUCKET)`);
    return withRetries(new S3Storage(config.s3), retry);
  };
  switch (config.mode) {
    case 'local':
      return { primary: local() };
    case 's3':
      return { primary: s3() };
    case 'both':
      return { primary: local(), secondary: s3() };
  }
}
