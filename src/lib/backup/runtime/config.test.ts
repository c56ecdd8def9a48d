import { describe, expect, it } from 'vitest';
import { loadEnv } from '@/lib/env';
import { offsiteFromEnv } from './config';

const s3Env = { S3_BUCKET: 'school-backups', S3_ENDPOINT: 'http://127.0.0.1:9', S3_PREFIX: 'erp' };

describe('offsiteFromEnv', () => {
  it('has no off-site storage for BACKUP_STORAGE=local', () => {
    expect(offsiteFromEnv(loadEnv({ BACKUP_STORAGE: 'local' }))).toBeUndefined();
  });

  it.each(['s3', 'both'] as const)('builds the S3 backend for BACKUP_STORAGE=%s', (mode) => {
    const offsite = offsiteFromEnv(loadEnv({ BACKUP_STORAGE: mode, BACKUP_DIR: '/var/backups/erp', ...s3Env }));

    expect(offsite?.mode).toBe(mode);
    expect(offsite?.storage.kind).toBe('s3');
    expect(offsite?.storage.describe('backup-1.enc')).toBe('s3://school-backups/erp/backup-1.enc');
  });

  it('reuses one backend while the configuration stays the same', () => {
    const env = loadEnv({ BACKUP_STORAGE: 's3', ...s3Env });

    expect(offsiteFromEnv(env)?.storage).toBe(offsiteFromEnv(env)?.storage);
    expect(offsiteFromEnv(loadEnv({ BACKUP_STORAGE: 's3', ...s3Env, S3_PREFIX: 'other' }))?.storage).not.toBe(offsiteFromEnv(env)?.storage);
  });
});
