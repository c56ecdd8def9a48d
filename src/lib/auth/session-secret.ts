import { randomBytes } from 'node:crypto';
import { ensureDevelopmentSecret } from '@/lib/dev-secrets';
import type { TEnv } from '@/lib/env';

export const MISSING_SESSION_SECRET_MESSAGE =
  'SESSION_SECRET is not set. In production set it to a random value of at least 32 characters, the same on every ' +
  'instance, e.g. from `openssl rand -base64 48`.';

export interface TSessionSecretOptions {
  /** Where `.env.local` lives: the project root. */
  projectDir: string;
  log: (message: string) => void;
}

function inMemorySecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The secret that seals session cookies. A configured `SESSION_SECRET` always
 * wins (`ZEnv` has checked its length). Without one:
 * - production is an error: a generated secret would differ per instance and
 *   sign everyone out on each restart (the demo has one written into
 *   `.env.local` by `scripts/dev-secrets.ts` before `next start`);
 * - tests get a random secret for the life of the process;
 * - development uses the one kept in `.env.local`, generating it on first
 *   use (loudly). That also covers a server started before the file had it,
 *   whose environment never will until it restarts. If the file cannot be
 *   written, a random in-memory secret keeps the process usable.
 */
export function resolveSessionSecret(env: TEnv, options: TSessionSecretOptions): string {
  if (env.SESSION_SECRET) return env.SESSION_SECRET;
  if (env.NODE_ENV === 'production') throw new Error(MISSING_SESSION_SECRET_MESSAGE);
  if (env.NODE_ENV === 'test') return inMemorySecret();
  try {
    const secret = ensureDevelopmentSecret('SESSION_SECRET', options.log, options.projectDir);
    options.log('SESSION_SECRET is not in this process environment; using the development secret kept in .env.local.');
    return secret;
  } catch (error) {
    options.log(
      `Could not keep a development SESSION_SECRET in .env.local (${error instanceof Error ? error.message : String(error)}); ` +
        'using a random in-memory secret, so everyone is signed out when this process restarts.',
    );
    return inMemorySecret();
  }
}
