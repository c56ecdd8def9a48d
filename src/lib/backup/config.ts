import { ensureDevelopmentSecret } from '@/lib/dev-secrets';
import type { TEnv } from '@/lib/env';
import { createKeyring, type TKeyring } from './crypto/keys';
import type { TBackupDeps } from './service/deps';
import { S3Storage, storageConfigFromEnv, withRetries } from './storage';

/**
 * The keyring from the environment. Outside production a missing key is
 * generated once into `.env.local` (loudly); in production it is an error.
 */
export function keyringFromEnv(env: TEnv, log: (message: string) => void): TKeyring {
  let current = env.BACKUP_ENCRYPTION_KEY;
  if (!current && env.NODE_ENV !== 'production') current = ensureDevelopmentSecret('BACKUP_ENCRYPTION_KEY', log);
  return createKeyring(current, env.BACKUP_ENCRYPTION_KEYS_PREVIOUS);
}

let offsiteCache: { signature: string; value: TBackupDeps['offsite'] } | undefined;

/**
 * The off-site storage from BACKUP_STORAGE and the S3_* variables (none for
 * `local`). Credentials come from the AWS SDK's own provider chain. One S3
 * client per configuration, reused across operations.
 */
export function offsiteFromEnv(env: TEnv): TBackupDeps['offsite'] {
  const config = storageConfigFromEnv(env as unknown as Record<string, string | undefined>);
  const signature = JSON.stringify(config);
  if (offsiteCache?.signature !== signature) {
    const value = config.mode === 'local' || !config.s3 ? undefined : { storage: withRetries(new S3Storage(config.s3)), mode: config.mode };
    offsiteCache = { signature, value };
  }
  return offsiteCache.value;
}
