export { storageConfigFromEnv, type TS3Config, type TStorageConfig, ZS3Config, ZStorageConfig } from './config';
export { isStorageNotFound, StorageError, type TStorageErrorCode } from './errors';
export { createStorages, type TStorages } from './factory';
export { assertValidKey, chunkIdOf, chunkKey, isValidKey } from './keys';
export { LocalStorage } from './local-storage';
export { type TRetryEvent, type TRetryOptions, withRetries } from './retrying-storage';
export { S3Storage, type TS3StorageOptions } from './s3-storage';
export type { BackupStorage, TBody, TBodySource, TListArea, TObjectInfo, TPutOptions, TStoredFile } from './types';
