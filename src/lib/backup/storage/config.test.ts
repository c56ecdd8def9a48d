import { describe, expect, it } from 'vitest';
import { storageConfigFromEnv, ZStorageConfig } from './config';

describe('storageConfigFromEnv', () => {
  it('defaults to local storage in ./backups', () => {
    expect(storageConfigFromEnv({})).toEqual({ mode: 'local', localDir: './backups' });
  });

  it('treats empty variables as unset', () => {
    expect(storageConfigFromEnv({ BACKUP_STORAGE: '', BACKUP_DIR: '' })).toEqual({ mode: 'local', localDir: './backups' });
  });

  it('maps the S3 variables for AWS', () => {
    const config = storageConfigFromEnv({
      BACKUP_STORAGE: 'both',
      BACKUP_DIR: '/var/backups/erp',
      S3_BUCKET: 'school-backups',
      S3_REGION: 'eu-central-1',
      S3_SSE: 'aws:kms',
      S3_SSE_KMS_KEY_ID: 'alias/erp',
    });

    expect(config).toEqual({
      mode: 'both',
      localDir: '/var/backups/erp',
      s3: {
        bucket: 'school-backups',
        region: 'eu-central-1',
        forcePathStyle: false,
        prefix: 'backups/',
        serverSideEncryption: 'aws:kms',
        kmsKeyId: 'alias/erp',
      },
    });
  });

  it('uses path-style addressing by default for a custom endpoint, unless told otherwise', () => {
    const minio = { BACKUP_STORAGE: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'http://minio:9000' };

    expect(storageConfigFromEnv(minio).s3).toMatchObject({ endpoint: 'http://minio:9000', forcePathStyle: true, region: 'us-east-1' });
    expect(storageConfigFromEnv({ ...minio, S3_FORCE_PATH_STYLE: 'false' }).s3?.forcePathStyle).toBe(false);
    expect(storageConfigFromEnv({ ...minio, S3_PREFIX: 'erp/', AWS_REGION: 'auto' }).s3).toMatchObject({ prefix: 'erp/', region: 'auto' });
  });

  it.each(['s3', 'both'])('requires S3_BUCKET for BACKUP_STORAGE=%s', (mode) => {
    expect(() => storageConfigFromEnv({ BACKUP_STORAGE: mode })).toThrow(
      `Invalid backup storage settings: S3_BUCKET is required when BACKUP_STORAGE=${mode} (name of the bucket that receives the backups)`,
    );
  });

  it('names every invalid variable', () => {
    const attempt = () =>
      storageConfigFromEnv({
        BACKUP_STORAGE: 'ftp',
        S3_ENDPOINT: 'minio:9000',
        S3_FORCE_PATH_STYLE: 'yes',
        S3_SSE: 'DES',
      });

    expect(attempt).toThrow(/BACKUP_STORAGE must be local, s3 or both/);
    expect(attempt).toThrow(/S3_ENDPOINT must be an http\(s\) URL/);
    expect(attempt).toThrow(/S3_FORCE_PATH_STYLE must be true or false/);
    expect(attempt).toThrow(/S3_SSE must be AES256 or aws:kms/);
  });

  it('rejects a KMS key without S3_SSE=aws:kms', () => {
    expect(() => storageConfigFromEnv({ BACKUP_STORAGE: 's3', S3_BUCKET: 'b', S3_SSE_KMS_KEY_ID: 'k' })).toThrow(
      /S3_SSE_KMS_KEY_ID only applies with S3_SSE=aws:kms/,
    );
  });
});

describe('ZStorageConfig', () => {
  it('requires s3 settings unless the mode is local', () => {
    expect(ZStorageConfig.safeParse({ mode: 's3', localDir: './backups' }).success).toBe(false);
    expect(ZStorageConfig.safeParse({ mode: 'local', localDir: './backups' }).success).toBe(true);
  });
});
