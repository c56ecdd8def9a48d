import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

/** The access key s3rver registers for its dummy account. With SigV4 it checks that the key id exists but never verifies the signature. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface TRecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** An s3rver on 127.0.0.1 with one bucket, served by our own `http.Server` so tests can see requests and cut connections. */
export interface TS3rverHarness {
  readonly bucket: string;
  readonly endpoint: string;
  /** Every request received since start, in order. */
  readonly requests: TRecordedRequest[];
  /** Stops listening and cuts open connections, like a crashed server. Data stays on disk. */
  stop(): Promise<void>;
  /** Listens again on the same port with the same data. */
  restart(): Promise<void>;
  /** Stops the server and deletes its data directory. */
  dispose(): Promise<void>;
}

/** Starts s3rver on a free port with its data in a fresh temp directory. */
export async function startS3rver(bucket = 'erp-backups'): Promise<TS3rverHarness> {
  const directory = await mkdtemp(path.join(tmpdir(), 's3rver-'));
  const app = new S3rver({ silent: true, directory, configureBuckets: [{ name: bucket }] });
  await app.configureBuckets();
  const handle = app.callback();
  const requests: TRecordedRequest[] = [];
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    const next = createServer((request, response) => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', headers: { ...request.headers } });
      handle(request, response);
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as AddressInfo).port;
    server = next;
  };
  const stop = async () => {
    const current = server;
    if (current === undefined) return;
    server = undefined;
    const closed = new Promise<void>((resolve) => current.close(() => resolve()));
    current.closeAllConnections();
    await closed;
  };

  await listen();
  return {
    bucket,
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop,
    restart: listen,
    dispose: async () => {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
