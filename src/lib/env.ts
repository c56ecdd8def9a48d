import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

/**
 * The one place that reads `process.env`. Everything else receives validated
 * settings from `loadEnv()`, so a typo in a variable fails at start-up with a
 * message naming it, not deep inside a backup.
 */

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

export const ZEnv = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'test', 'production']).default('development')),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgresql://')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./data')),
  BACKUP_DIR: z.preprocess(emptyAsUndefined, z.string().default('./backups')),
  BACKUP_ENCRYPTION_KEY: optionalString,
  BACKUP_ENCRYPTION_KEYS_PREVIOUS: optionalString,
  // Seals the login cookie. Set but short is always a mistake, so it fails at start-up; absent is
  // decided where the secret is used (src/lib/auth/session-secret.ts), because the CLI never needs it.
  SESSION_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, 'must be at least 32 characters').optional()),
  // Backup storage; validated in detail by storageConfigFromEnv (src/lib/backup/storage/config.ts).
  BACKUP_STORAGE: optionalString,
  S3_BUCKET: optionalString,
  S3_REGION: optionalString,
  AWS_REGION: optionalString,
  S3_ENDPOINT: optionalString,
  S3_FORCE_PATH_STYLE: optionalString,
  S3_PREFIX: optionalString,
  S3_SSE: optionalString,
  S3_SSE_KMS_KEY_ID: optionalString,
  // erp-backup only: 1 prints stack traces of unexpected errors on stderr (never in --json mode).
  ERP_BACKUP_DEBUG: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0')),
  TEST_DATABASE_URL: optionalString,
  BENCH_DATABASE_URL: optionalString,
});

export type TEnv = z.infer<typeof ZEnv>;

/** Parses the environment (or a given record, for tests and the CLI). */
export function loadEnv(source: Record<string, string | undefined> = process.env): TEnv {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Resolves a configured directory against the project root (the working directory). */
export function resolveDir(dir: string): string {
  return path.resolve(process.cwd(), dir);
}

/**
 * Loads `.env.local` then `.env` from the project directory into
 * `process.env` for the CLI and scripts (Next.js does this itself for the
 * app). Variables already set in the environment win.
 */
export function loadEnvFiles(projectDir: string = process.cwd()): void {
  for (const name of ['.env.local', '.env']) {
    const file = path.join(projectDir, name);
    if (!fs.existsSync(file)) continue;
    for (const [key, value] of Object.entries(parseEnv(fs.readFileSync(file, 'utf8')))) {
      if (process.env[key] === undefined) process.env[key] = value;
    }
  }
}
