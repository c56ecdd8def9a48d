import { describe, expect, it } from 'vitest';
import { storageConfigFromEnv } from './config';
import { createStorages } from './factory';

const s3Env = { S3_BUCKET: 'school-backups', S3_ENDPOINT: 'http://127.0.0.1:9', S3_PREFIX: 'erp' };

describe('createStorages', () => {
  it('builds a local primary only for mode local', () => {
    const storages = createStorages(storageConfigFromEnv({ BACKUP_DIR: '/var/backups/erp' }));

    expect(storages.primary.kind).toBe('local');
    expect(storages.primary.describe()).toBe('/var/backups/erp');
    expect(storages.secondary).toBeUndefined();
  });

  it('builds an S3 primary only for mode s3', () => {
    const storages = createStorages(storageConfigFromEnv({ BACKUP_STORAGE: 's3', ...s3Env }));

    expect(storages.primary.kind).toBe('s3');
    expect(storages.primary.describe()).toBe('s3://school-backups/erp/');
    expect(storages.secondary).toBeUndefined();
  });

  it('builds a local primary and an S3 off-site copy for mode both', () => {
    const storages = createStorages(storageConfigFromEnv({ BACKUP_STORAGE: 'both', BACKUP_DIR: '/var/backups/erp', ...s3Env }));

    expect(storages.primary.kind).toBe('local');
    expect(storages.secondary?.kind).toBe('s3');
    expect(storages.secondary?.describe('backup-1.enc')).toBe('s3://school-backups/erp/backup-1.enc');
  });
});
