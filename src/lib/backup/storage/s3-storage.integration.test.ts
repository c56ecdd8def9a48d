import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkIdStarting, listAll, MiB, readAll, runStorageContract, sha256, storageFailure, streamOf } from './contract';
import { chunkKey } from './keys';
import { withRetries } from './retrying-storage';
import { S3Storage, type TS3StorageOptions } from './s3-storage';
import { S3RVER_CREDENTIALS, startS3rver, type TS3rverHarness } from './testing/s3rver-harness';

const KEY = 'backup-20261126T050000Z-ab12cd34.enc';

let server: TS3rverHarness;
let prefixes = 0;

beforeAll(async () => {
  server = await startS3rver();
});
afterAll(async () => {
  await server?.dispose();
});

/** A backend on its own prefix, with 5 MiB parts (the S3 minimum) so tests cross part boundaries quickly. */
function s3Storage(harness: TS3rverHarness, overrides: Partial<TS3StorageOptions> = {}): S3Storage {
  return new S3Storage({
    bucket: harness.bucket,
    region: 'us-east-1',
    endpoint: harness.endpoint,
    forcePathStyle: true,
    prefix: `run-${++prefixes}/`,
    partSize: 5 * MiB,
    credentials: S3RVER_CREDENTIALS,
    ...overrides,
  });
}

function rawClient(harness: TS3rverHarness): S3Client {
  return new S3Client({ region: 'us-east-1', endpoint: harness.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
}

/** Every object key under `prefix`, including nested ones `list` hides. */
async function rawKeys(harness: TS3rverHarness, prefix: string): Promise<string[]> {
  const client = rawClient(harness);
  try {
    const page = await client.send(new ListObjectsV2Command({ Bucket: harness.bucket, Prefix: prefix }));
    return (page.Contents ?? []).map((object) => (object.Key ?? '').slice(prefix.length));
  } finally {
    client.destroy();
  }
}

runStorageContract('s3 on s3rver', async () => {
  const prefix = `contract-${++prefixes}/`;
  const storage = s3Storage(server, { prefix });
  return {
    storage,
    cleanup: async () => storage.destroy(),
    rawNames: () => rawKeys(server, prefix),
  };
});

describe('S3Storage', () => {
  it('describes its location without credentials and normalises the prefix', () => {
    const storage = s3Storage(server, { prefix: '/school-a/nightly' });

    expect(storage.describe()).toBe(`s3://${server.bucket}/school-a/nightly/`);
    expect(storage.describe(KEY)).toBe(`s3://${server.bucket}/school-a/nightly/${KEY}`);
    expect(storage.describe()).not.toContain(S3RVER_CREDENTIALS.secretAccessKey);
    storage.destroy();
  });

  it('stores the sha256 as x-amz-meta-sha256 and returns it from stat (list leaves it undefined)', async () => {
    const storage = s3Storage(server, { prefix: 'meta/' });
    const data = randomBytes(6 * MiB);
    const digest = sha256(data);

    await storage.put(KEY, streamOf(data), { sha256: digest });

    expect((await storage.stat(KEY)).sha256).toBe(digest);
    const client = rawClient(server);
    const head = await client.send(new HeadObjectCommand({ Bucket: server.bucket, Key: `meta/${KEY}` }));
    client.destroy();
    expect(head.Metadata?.sha256).toBe(digest);
    expect(await listAll(storage)).toEqual([{ key: KEY, size: data.length, modifiedAt: expect.any(Date) }]);
    storage.destroy();
  });

  it('reports progress in increasing bytes up to the object size', async () => {
    const storage = s3Storage(server);
    const size = 12 * MiB + 5;
    const seen: number[] = [];

    await storage.put(KEY, streamOf(randomBytes(size)), { onProgress: (bytes) => seen.push(bytes) });

    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThan(seen[i - 1] ?? 0);
    expect(seen.at(-1)).toBe(size);
    storage.destroy();
  });

  it('sends the configured server-side encryption on single and multipart uploads', async () => {
    const storage = s3Storage(server, { serverSideEncryption: 'aws:kms', kmsKeyId: 'alias/erp-backups' });
    const first = server.requests.length;

    await storage.put('small.enc', streamOf(randomBytes(1000)));
    await storage.put('large.enc', streamOf(randomBytes(6 * MiB)));

    const creating = server.requests.slice(first).filter((request) => request.method === 'PUT' || request.url.includes('uploads'));
    const objectCreations = creating.filter((request) => !request.url.includes('partNumber='));
    expect(objectCreations).toHaveLength(2);
    for (const request of objectCreations) {
      expect(request.headers['x-amz-server-side-encryption']).toBe('aws:kms');
      expect(request.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe('alias/erp-backups');
    }
    storage.destroy();
  });

  it('rejects invalid keys without sending a single request', async () => {
    const storage = s3Storage(server);
    const before = server.requests.length;

    await storageFailure(storage.put('../escape', streamOf(Buffer.from('x'))), 'INVALID_KEY');
    await storageFailure(storage.stat('a/b'), 'INVALID_KEY');

    expect(server.requests.length).toBe(before);
    storage.destroy();
  });

  it('lists only valid keys directly under its prefix', async () => {
    const storage = s3Storage(server, { prefix: 'listing/' });
    await storage.put(KEY, streamOf(randomBytes(10)));
    const client = rawClient(server);
    for (const foreign of ['listing/nested/backup-1.enc', 'listing/has space.enc', 'listing-other/backup-2.enc', 'backup-3.enc']) {
      await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: foreign, Body: 'x' }));
    }
    client.destroy();

    expect((await listAll(storage)).map((info) => info.key)).toEqual([KEY]);
    storage.destroy();
  });

  it('stores chunks under <prefix>chunks/ and lists as chunks only valid chunk keys under it', async () => {
    const storage = s3Storage(server, { prefix: 'chunked/' });
    const chunks = [chunkKey(chunkIdStarting('ff')), chunkKey(chunkIdStarting('ab')), chunkKey(chunkIdStarting('ab'))];
    for (const chunk of chunks) await storage.put(chunk, streamOf(randomBytes(10)));
    const foreign = chunkIdStarting('cd');
    const client = rawClient(server);
    for (const other of [
      `chunked/chunks/zz/zz${foreign.slice(2)}`,
      `chunked/chunks/ab/${foreign}`,
      `chunked/chunks/cd/${foreign}/x`,
      'chunked/chunks/ab/notes.txt',
      'chunked/chunks/README',
      `chunked/nested/chunks/cd/${foreign}`,
      `chunked-other/chunks/cd/${foreign}`,
      `chunks/cd/${foreign}`,
    ]) {
      await client.send(new PutObjectCommand({ Bucket: server.bucket, Key: other, Body: 'x' }));
    }
    client.destroy();

    expect((await rawKeys(server, 'chunked/')).filter((key) => chunks.includes(key)).sort()).toEqual([...chunks].sort());
    expect((await listAll(storage, 'chunks')).map((info) => [info.key, info.size])).toEqual([...chunks].sort().map((chunk) => [chunk, 10]));
    expect(await listAll(storage)).toEqual([]);
    storage.destroy();
  });

  // s3rver checks that a SigV4 access key id exists but never verifies SigV4 signatures
  // (`allowMismatchedSignatures` only concerns SigV2), so an unknown key id is how it rejects credentials.
  it('maps rejected credentials to ACCESS_DENIED with a message that names the bucket but no secret', async () => {
    const secret = 'wJalrXUtnFEMI-very-secret';
    const storage = s3Storage(server, { credentials: { accessKeyId: 'AKIAWRONGKEY', secretAccessKey: secret } });

    const failures = [
      await storageFailure(storage.put(KEY, streamOf(randomBytes(100))), 'ACCESS_DENIED'),
      await storageFailure(storage.get(KEY), 'ACCESS_DENIED'),
      await storageFailure(storage.stat(KEY), 'ACCESS_DENIED'),
      await storageFailure(listAll(storage), 'ACCESS_DENIED'),
    ];

    expect(failures[0]?.message).toBe(
      `S3 rejected the credentials for bucket ${server.bucket} (InvalidAccessKeyId): check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile`,
    );
    for (const failure of failures) {
      expect(failure.message).toContain(server.bucket);
      expect(failure.message).toContain('AWS_ACCESS_KEY_ID');
      expect(failure.message).not.toContain(secret);
      expect(failure.message).not.toMatch(/[<>]/);
      expect(failure.cause).toBeDefined();
    }
    storage.destroy();
  });

  it('reports a bucket that does not exist as MISCONFIGURED', async () => {
    const storage = s3Storage(server, { bucket: 'no-such-bucket' });

    const error = await storageFailure(listAll(storage), 'MISCONFIGURED');

    expect(error.message).toBe(`Bucket no-such-bucket does not exist at ${server.endpoint}: create it or fix S3_BUCKET`);
    storage.destroy();
  });

  it('fails with UNAVAILABLE when the server dies mid-upload, leaving no object once it is back', async () => {
    const own = await startS3rver();
    const storage = s3Storage(own);
    try {
      let stopping: Promise<void> | undefined;
      const upload = storage.put(KEY, streamOf(randomBytes(40 * MiB)), {
        onProgress: () => {
          stopping ??= own.stop();
        },
      });

      const error = await storageFailure(upload, 'UNAVAILABLE');

      expect(stopping).toBeDefined();
      expect(error.message).toMatch(new RegExp(`^Could not reach S3 at ${own.endpoint} to write s3://`));
      await own.restart();
      await storageFailure(storage.stat(KEY), 'NOT_FOUND');
      expect(await listAll(storage)).toEqual([]);
    } finally {
      storage.destroy();
      await own.dispose();
    }
  });

  it('fails a download with UNAVAILABLE when the connection drops while reading', async () => {
    const own = await startS3rver();
    const storage = s3Storage(own);
    try {
      await storage.put(KEY, streamOf(randomBytes(40 * MiB)));
      const download = await storage.get(KEY);
      await once(download, 'readable');
      await own.stop();

      const error = await storageFailure(readAll(download), 'UNAVAILABLE');

      expect(error.message).toMatch(new RegExp(`^Could not reach S3 at ${own.endpoint} to read s3://${own.bucket}/`));
    } finally {
      storage.destroy();
      await own.dispose();
    }
  });

  it('with withRetries, re-opens a factory body and succeeds once the server is back', async () => {
    const own = await startS3rver();
    const storage = s3Storage(own);
    await own.stop();
    const data = randomBytes(6 * MiB);
    let opened = 0;
    const retrying = withRetries(storage, { sleep: () => own.restart() });

    await retrying.put(KEY, () => {
      opened++;
      return streamOf(data);
    });

    expect(opened).toBe(2);
    expect(sha256(await readAll(await retrying.get(KEY)))).toBe(sha256(data));
    storage.destroy();
    await own.dispose();
  });
});
