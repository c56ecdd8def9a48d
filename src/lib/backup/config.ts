import { ensureDevelopmentSecret } from '@/lib/dev-secrets';
import type { TEnv } from '@/lib/env';
import { resolveDir } from '@/lib/env';
import { createKeyring, type TKeyring } from './crypto/keys';

/**
 * The keyring from the environment. Outside production a missing key is
 * generated once into `.env.local` (loudly); in production it is an error.
 */
export function keyringFromEnv(env: TEnv, log: (message: string) => void): TKeyring {
  let current = env.BACKUP_ENCRYPTION_KEY;
  if (!current && env.NODE_ENV !== 'production') current = ensureDevelopmentSecret('BACKUP_ENCRYPTION_KEY', log);
  return createKeyring(current, env.BACKUP_ENCRYPTION_KEYS_PREVIOUS);
}

export function backupDirFromEnv(env: TEnv): string {
  return resolveDir(env.BACKUP_DIR);
}
