import type { TEnv } from '@/lib/env';
import { createKeyring, type TKeyring } from '../crypto/keys';
import type { TBackupDeps } from '../service/deps';
import { createStorages, storageConfigFromEnv, type TStorageConfig } from '../storage';

/**
 * The keyring from the environment. A missing key is KEY_MISSING whatever
 * NODE_ENV says: a key generated here (by the CLI on a server, say) would
 * encrypt backups with a key nobody saved. Only the demo and the development
 * server generate one, before they start (`scripts/dev-secrets.ts`).
 */
export function keyringFromEnv(env: TEnv): TKeyring {
  return createKeyring(env.BACKUP_ENCRYPTION_KEY, env.BACKUP_ENCRYPTION_KEYS_PREVIOUS);
}

let offsiteCache: { signature: string; value: TBackupDeps['offsite'] } | undefined;

/**
 * The off-site storage from BACKUP_STORAGE and the S3_* variables (none for
 * `local`), built by the storage factory like every backend. Credentials
 * come from the AWS SDK's own provider chain. One S3 client per
 * configuration, reused across operations.
 */
export function offsiteFromEnv(env: TEnv): TBackupDeps['offsite'] {
  const config = storageConfigFromEnv(env as unknown as Record<string, string | undefined>);
  const signature = JSON.stringify(config);
  if (offsiteCache?.signature !== signature) {
    offsiteCache = { signature, value: offsiteOf(config) };
  }
  return offsiteCache.value;
}

/** The S3 backend of `config`: the off-site copy for `both`, the only storage for `s3`. */
function offsiteOf(config: TStorageConfig): TBackupDeps['offsite'] {
  if (config.mode === 'local') return undefined;
  const storages = createStorages(config);
  const storage = config.mode === 's3' ? storages.primary : storages.secondary;
  return storage === undefined ? undefined : { storage, mode: config.mode };
}
