import { z } from 'zod';
import { ZTrustedProxies } from '@/lib/auth/trusted-proxies';

/**
 * The one place that reads `process.env`. Everything else receives validated
 * settings from `loadEnv()`, so a typo in a variable fails at start-up with a
 * message naming it, not deep inside a backup.
 */

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
/** An http(s) URL; the issue never quotes the value (webhook and heartbeat URLs carry tokens). */
const optionalHttpUrl = z.preprocess(
  emptyAsUndefined,
  z
    .string()
    .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), 'must be an http:// or https:// URL')
    .optional(),
);

export const ZEnv = z.object({
  NODE_ENV: z.preprocess(emptyAsUndefined, z.enum(['development', 'test', 'production']).default('development')),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgresql://')
      .optional(),
  ),
  // Both directories are used as configured: a relative one is relative to the working directory (the
  // project directory under npm scripts), which is how every filesystem call resolves it anyway. Joining
  // it to process.cwd() in code the app imports would make Turbopack trace the whole project into the
  // server build ("Dynamic filesystem access"), since it cannot know which directory that will be.
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
  // Reverse proxies whose X-Forwarded-For hops are believed (src/lib/auth/trusted-proxies.ts); unset: no client address is recorded.
  TRUSTED_PROXIES: ZTrustedProxies,
  // `app`: every app instance runs the backup schedules (each slot once between them); `off`: this one does not (a worker runs `erp-backup scheduler`, or cron `erp-backup run-due`).
  BACKUP_SCHEDULER: z.preprocess(emptyAsUndefined, z.enum(['app', 'off']).default('app')),
  // Restore drills: a PostgreSQL server on which the drill creates (and drops) its throwaway database.
  BACKUP_DRILL_DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'BACKUP_DRILL_DATABASE_URL must start with postgresql://')
      .optional(),
  ),
  // Port of `next start` (which reads it itself); validated here for the demo script that waits for it.
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
  // erp-backup only: 1 prints stack traces of unexpected errors on stderr (never in --json mode).
  ERP_BACKUP_DEBUG: z.preprocess(emptyAsUndefined, z.enum(['0', '1']).default('0')),
  // Alerts and health (README, "Alerts and health"). Secrets and URLs are never logged; the issues below never quote a value.
  BACKUP_ALERT_WEBHOOK_URL: optionalHttpUrl,
  BACKUP_ALERT_WEBHOOK_SECRET: z.preprocess(emptyAsUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
  SMTP_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => URL.canParse(value) && /^smtps?:$/.test(new URL(value).protocol), 'must be an smtp:// or smtps:// URL')
      .optional(),
  ),
  // Comma-separated addresses; required with SMTP_URL (checked where the channel is built, runtime/alerts.ts).
  BACKUP_ALERT_EMAIL_TO: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine(
        (value) => value.split(',').every((address) => z.email().safeParse(address.trim()).success),
        'must be e-mail addresses, comma-separated',
      )
      .optional(),
  ),
  BACKUP_ALERT_EMAIL_FROM: z.preprocess(emptyAsUndefined, z.email('must be an e-mail address').optional()),
  BACKUP_HEARTBEAT_URL: optionalHttpUrl,
  // The name alerts give this installation; the host name when unset.
  BACKUP_ALERT_INSTANCE: optionalString,
  // The dead man's switch: unset, 26 when an enabled schedule runs at least daily, else none.
  BACKUP_MAX_AGE_HOURS: z.preprocess(emptyAsUndefined, z.coerce.number().positive('must be a positive number of hours').optional()),
  // Worker threads that convert and compress rows during a backup or restore (default: one per core).
  BACKUP_WORKERS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1, 'must be at least 1').max(64).optional()),
  // When set, GET /api/health/backups requires `Authorization: Bearer <HEALTH_TOKEN>`.
  HEALTH_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, 'must be at least 16 characters').optional()),
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
  const problems = settingsGivenByHalves(parsed.data);
  if (problems.length > 0) throw new Error(`Invalid environment: ${problems.join('; ')}`);
  return parsed.data;
}

/** Email alerts given by halves would silently send nothing: SMTP_URL, BACKUP_ALERT_EMAIL_TO and BACKUP_ALERT_EMAIL_FROM go together. */
function settingsGivenByHalves(env: TEnv): string[] {
  const email = ['SMTP_URL', 'BACKUP_ALERT_EMAIL_TO', 'BACKUP_ALERT_EMAIL_FROM'] as const;
  const given = email.filter((name) => env[name]);
  if (given.length === 0 || given.length === email.length) return [];
  return email.filter((name) => !env[name]).map((name) => `${name}: is required with ${given.join(' and ')} (email alerts)`);
}
