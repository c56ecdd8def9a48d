import { z } from 'zod';

const ZHttpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL such as http://minio:9000' });

/** Settings of the S3 backend; see `S3Storage` for what each field does. */
export const ZS3Config = z.object({
  bucket: z.string().min(1),
  region: z.string().min(1),
  endpoint: ZHttpUrl.optional(),
  forcePathStyle: z.boolean(),
  prefix: z.string(),
  serverSideEncryption: z.enum(['AES256', 'aws:kms']).optional(),
  kmsKeyId: z.string().min(1).optional(),
});

/**
 * Where backups go: `local` keeps them in `localDir`, `s3` in the bucket,
 * `both` in `localDir` with an off-site copy in the bucket.
 */
export const ZStorageConfig = z
  .object({
    mode: z.enum(['local', 's3', 'both']),
    localDir: z.string().min(1),
    s3: ZS3Config.optional(),
  })
  .refine((config) => config.mode === 'local' || config.s3 !== undefined, {
    path: ['s3'],
    message: 'is required unless mode is local',
  });

export type TStorageConfig = z.infer<typeof ZStorageConfig>;
export type TS3Config = z.infer<typeof ZS3Config>;

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());

const ZStorageEnv = z
  .object({
    BACKUP_STORAGE: z.preprocess(
      emptyAsUndefined,
      z.enum(['local', 's3', 'both'], { error: 'must be local, s3 or both' }).default('local'),
    ),
    BACKUP_DIR: z.preprocess(emptyAsUndefined, z.string().default('./backups')),
    S3_BUCKET: optionalString,
    S3_REGION: optionalString,
    AWS_REGION: optionalString,
    S3_ENDPOINT: z.preprocess(emptyAsUndefined, ZHttpUrl.optional()),
    S3_FORCE_PATH_STYLE: z.preprocess(emptyAsUndefined, z.enum(['true', 'false'], { error: 'must be true or false' }).optional()),
    S3_PREFIX: z.preprocess(emptyAsUndefined, z.string().default('backups/')),
    S3_SSE: z.preprocess(emptyAsUndefined, z.enum(['AES256', 'aws:kms'], { error: 'must be AES256 or aws:kms' }).optional()),
    S3_SSE_KMS_KEY_ID: optionalString,
  })
  .superRefine((env, ctx) => {
    if (env.BACKUP_STORAGE !== 'local' && env.S3_BUCKET === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['S3_BUCKET'],
        message: `is required when BACKUP_STORAGE=${env.BACKUP_STORAGE} (name of the bucket that receives the backups)`,
      });
    }
    if (env.S3_SSE_KMS_KEY_ID !== undefined && env.S3_SSE !== 'aws:kms') {
      ctx.addIssue({ code: 'custom', path: ['S3_SSE_KMS_KEY_ID'], message: 'only applies with S3_SSE=aws:kms' });
    }
  });

/**
 * Builds the storage settings from environment variables (the caller passes
 * its env record; this module never reads `process.env`):
 *
 * | Variable | Meaning | Default |
 * | --- | --- | --- |
 * | `BACKUP_STORAGE` | `local`, `s3` or `both` | `local` |
 * | `BACKUP_DIR` | local directory | `./backups` |
 * | `S3_BUCKET` | bucket (required for `s3`/`both`) | |
 * | `S3_REGION` | region | `AWS_REGION`, else `us-east-1` |
 * | `S3_ENDPOINT` | S3-compatible endpoint URL; unset for AWS | |
 * | `S3_FORCE_PATH_STYLE` | `true`/`false` | `true` with `S3_ENDPOINT`, else `false` |
 * | `S3_PREFIX` | key prefix; `/` for the bucket root | `backups/` |
 * | `S3_SSE` | `AES256` or `aws:kms` | none |
 * | `S3_SSE_KMS_KEY_ID` | KMS key for `aws:kms` | bucket default |
 *
 * Credentials are deliberately absent: the AWS SDK finds them itself.
 * Throws an `Error` naming every offending variable.
 */
export function storageConfigFromEnv(env: Record<string, string | undefined>): TStorageConfig {
  const parsed = ZStorageEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    throw new Error(`Invalid backup storage settings: ${problems.join('; ')}`);
  }
  const vars = parsed.data;
  const s3: TS3Config | undefined =
    vars.BACKUP_STORAGE === 'local' || vars.S3_BUCKET === undefined
      ? undefined
      : {
          bucket: vars.S3_BUCKET,
          region: vars.S3_REGION ?? vars.AWS_REGION ?? 'us-east-1',
          endpoint: vars.S3_ENDPOINT,
          // Self-hosted services rarely have wildcard DNS for bucket subdomains.
          forcePathStyle: vars.S3_FORCE_PATH_STYLE === undefined ? vars.S3_ENDPOINT !== undefined : vars.S3_FORCE_PATH_STYLE === 'true',
          prefix: vars.S3_PREFIX,
          serverSideEncryption: vars.S3_SSE,
          kmsKeyId: vars.S3_SSE_KMS_KEY_ID,
        };
  return ZStorageConfig.parse({ mode: vars.BACKUP_STORAGE, localDir: vars.BACKUP_DIR, s3 });
}
