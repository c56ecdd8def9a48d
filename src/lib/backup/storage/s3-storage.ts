import { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { backupLog } from '../process/log';
import { assertPutKey, openBody, sourceFailed } from './body';
import { isStorageNotFound, StorageError } from './errors';
import { streamFile } from './file-source';
import { assertValidKey, chunkIdOf, isValidKey } from './keys';
import { isS3NotFound, mapS3Error } from './s3-errors';
import type { BackupStorage, TBodySource, TListArea, TObjectInfo, TPutOptions, TStoredFile } from './types';

/** Multipart part size: at most 10,000 parts, so a single backup can reach 78 GiB. */
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const MIN_PART_SIZE = 5 * 1024 * 1024;
/** Parts in flight at once; memory stays near (queueSize + 1) × partSize whatever the backup size. */
const DEFAULT_QUEUE_SIZE = 2;

/** Settings of an S3 (or S3-compatible) backend. Credentials are not part of it: the SDK's default chain supplies them. */
export interface TS3StorageOptions {
  bucket: string;
  region: string;
  /** Endpoint of an S3-compatible service (MinIO, R2, B2, Ceph); omit for AWS. */
  endpoint?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key`; most self-hosted services need it. */
  forcePathStyle?: boolean;
  /** Prepended to every key; a missing trailing "/" is added. Empty means the bucket root. */
  prefix?: string;
  serverSideEncryption?: 'AES256' | 'aws:kms';
  /** KMS key for `aws:kms`; omitted means the bucket's AWS-managed key. */
  kmsKeyId?: string;
  /** Multipart part size in bytes (S3 minimum 5 MiB). */
  partSize?: number;
  queueSize?: number;
  /** For tests only. Production leaves it unset so env variables, profiles and instance roles apply. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * Backup objects in an S3 bucket under a prefix (object key = prefix + key,
 * so a chunk is `<prefix>chunks/<2 hex>/<id>`).
 *
 * Uploads stream through `@aws-sdk/lib-storage` in parts of `partSize`, so
 * memory does not grow with the backup. S3 makes an object visible only when
 * PutObject or CompleteMultipartUpload succeeds; on failure the multipart
 * upload is aborted. The caller's `sha256` is stored as `x-amz-meta-sha256`
 * and returned by `stat`; `list` leaves it undefined (ListObjectsV2 carries no
 * metadata, and a HEAD per object would make listing O(n) requests).
 *
 * The SDK retries individual HTTP requests (standard mode, 3 attempts), which
 * keeps a long multipart upload going through a blip on one part; whole
 * operations are retried only by `withRetries`.
 */
export class S3Storage implements BackupStorage {
  readonly kind = 's3';
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly endpointLabel: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly encryption: { ServerSideEncryption?: 'AES256' | 'aws:kms'; SSEKMSKeyId?: string };

  constructor(options: TS3StorageOptions) {
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix ?? '');
    this.endpointLabel = options.endpoint === undefined ? `AWS S3 (${options.region})` : withoutUserInfo(options.endpoint);
    this.partSize = options.partSize ?? DEFAULT_PART_SIZE;
    if (this.partSize < MIN_PART_SIZE) throw new RangeError(`partSize must be at least 5 MiB (the S3 minimum), got ${this.partSize}`);
    this.queueSize = options.queueSize ?? DEFAULT_QUEUE_SIZE;
    this.encryption = { ServerSideEncryption: options.serverSideEncryption, SSEKMSKeyId: options.kmsKeyId };
    const config: S3ClientConfig = {
      region: options.region,
      endpoint: options.endpoint,
      forcePathStyle: options.forcePathStyle ?? false,
      credentials: options.credentials,
      followRegionRedirects: true,
      // Without these a dead endpoint or a stalled socket hangs a backup forever.
      requestHandler: { connectionTimeout: 10_000, socketTimeout: 120_000 },
    };
    if (options.endpoint !== undefined) {
      // The SDK's default CRC32 checksum headers are rejected by several S3-compatible services;
      // backups carry their own SHA-256 and authenticated encryption.
      config.requestChecksumCalculation = 'WHEN_REQUIRED';
      config.responseChecksumValidation = 'WHEN_REQUIRED';
    }
    this.client = new S3Client(config);
  }

  describe(key?: string): string {
    return `s3://${this.bucket}/${this.prefix}${key ?? ''}`;
  }

  /** Streams the file (it stays where it is), its SHA-256 computed first unless announced, for the object's metadata. */
  async putFile(key: string, filePath: string, options: TPutOptions = {}): Promise<TStoredFile> {
    assertValidKey(key, this.describe());
    return streamFile(this, key, filePath, options);
  }

  localPath(): null {
    return null;
  }

  async put(key: string, body: TBodySource, options: TPutOptions = {}): Promise<void> {
    assertPutKey(key, body, this.describe());
    const location = this.describe(key);
    const opened = openBody(body, options, location);
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: this.prefix + key,
        Body: opened.stream,
        ContentType: 'application/octet-stream',
        Metadata: options.sha256 === undefined ? undefined : { sha256: options.sha256.toLowerCase() },
        ...this.encryption,
      },
      partSize: this.partSize,
      queueSize: this.queueSize,
      // Aborting is done below, so that a failing abort cannot replace the upload's own error.
      leavePartsOnError: true,
    });
    let reported = 0;
    upload.on('httpUploadProgress', ({ loaded }) => {
      if (loaded !== undefined && loaded > reported) {
        reported = loaded;
        options.onProgress?.(loaded);
      }
    });
    try {
      await upload.done();
    } catch (error) {
      opened.stream.destroy();
      await this.abandon(key, upload.uploadId);
      throw opened.failedAtSource(error) ? sourceFailed(error, location) : this.fail(error, 'write', key);
    }
  }

  async get(key: string): Promise<Readable> {
    const location = this.locate(key);
    const response = await this.client
      .send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }))
      .catch((error: unknown) => {
        throw this.fail(error, 'read', key);
      });
    if (!(response.Body instanceof Readable)) throw new StorageError('UNKNOWN', `S3 returned no data for ${location}`);
    return Readable.from(this.relay(response.Body, key), { objectMode: false });
  }

  async stat(key: string): Promise<TObjectInfo> {
    this.locate(key);
    const head = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key })).catch((error: unknown) => {
      throw this.fail(error, 'read', key);
    });
    return { key, size: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0), sha256: head.Metadata?.sha256 };
  }

  async *list(area: TListArea = 'files'): AsyncIterable<TObjectInfo> {
    // For files, the delimiter folds nested "directories" (`chunks/` among them) into
    // CommonPrefixes, which are not objects of ours. Chunks are the whole tree under `chunks/`.
    const query =
      area === 'files'
        ? { Bucket: this.bucket, Prefix: this.prefix, Delimiter: '/' }
        : { Bucket: this.bucket, Prefix: `${this.prefix}chunks/` };
    const belongs = area === 'files' ? isValidKey : (key: string) => chunkIdOf(key) !== null;
    // S3 lists in ascending UTF-8 byte order, which for these ASCII keys is key order.
    const pages = paginateListObjectsV2({ client: this.client }, query);
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          const key = (object.Key ?? '').slice(this.prefix.length);
          if (belongs(key)) yield { key, size: object.Size ?? 0, modifiedAt: object.LastModified ?? new Date(0) };
        }
      }
    } catch (error) {
      throw this.fail(error, 'list', undefined);
    }
  }

  async delete(key: string): Promise<boolean> {
    // DeleteObject answers 204 whether or not the key existed, so existence is asked first.
    const existed = await this.stat(key).then(
      () => true,
      (error: unknown) => {
        if (isStorageNotFound(error)) return false;
        throw error;
      },
    );
    if (!existed) return false;
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key })).catch((error: unknown) => {
      throw this.fail(error, 'delete', key);
    });
    return true;
  }

  isNotFound(error: unknown): boolean {
    return isStorageNotFound(error) || isS3NotFound(error);
  }

  /** Closes pooled connections; call when the storage is no longer needed (CLI exit, tests). */
  destroy(): void {
    this.client.destroy();
  }

  private locate(key: string): string {
    assertValidKey(key, this.describe());
    return this.describe(key);
  }

  private fail(error: unknown, verb: string, key: string | undefined): StorageError {
    return mapS3Error(error, { bucket: this.bucket, endpoint: this.endpointLabel, location: this.describe(key), verb });
  }

  /** Maps errors raised while the caller reads a downloaded object (e.g. connection reset). */
  private async *relay(body: Readable, key: string): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of body) yield chunk;
    } catch (error) {
      throw this.fail(error, 'read', key);
    }
  }

  /**
   * Best effort: parts of an aborted upload are invisible (not an object) but billed. If the
   * abort itself fails, a bucket lifecycle rule (AbortIncompleteMultipartUpload) reclaims them,
   * so the failure is logged (the put's own error is what the caller must see) and not thrown.
   */
  private async abandon(key: string, uploadId: string | undefined): Promise<void> {
    if (uploadId === undefined) return;
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: this.prefix + key, UploadId: uploadId }));
    } catch (error) {
      backupLog(`${this.fail(error, 'abort the upload of', key).message}; a bucket lifecycle rule reclaims its parts`);
    }
  }
}

function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

function withoutUserInfo(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(invalid endpoint URL)';
  }
}
