import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { markHandled } from '@/lib/async/mark-handled';

const gzipAsync = promisify(gzip);

/**
 * Compresses a stream into consecutive gzip members of about `memberBytes`
 * of input each, several at once on libuv's thread pool; concatenated they
 * are one valid gzip stream (RFC 1952 allows members back to back), which
 * every reader of a backup file accepts.
 */
export async function* gzipMembers(
  input: AsyncIterable<Buffer>,
  options: { level?: number; memberBytes?: number; inFlight?: number } = {},
): AsyncGenerator<Buffer> {
  const level = options.level ?? 6;
  const memberBytes = options.memberBytes ?? 1 << 20;
  const inFlight = Math.max(1, options.inFlight ?? 4);
  const queue: Promise<Buffer>[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const cut = () => {
    queue.push(markHandled(gzipAsync(Buffer.concat(pending, pendingBytes), { level })));
    pending = [];
    pendingBytes = 0;
  };
  try {
    for await (const piece of input) {
      pending.push(piece);
      pendingBytes += piece.length;
      if (pendingBytes >= memberBytes) cut();
      while (queue.length >= inFlight) yield await (queue.shift() as Promise<Buffer>);
    }
    if (pendingBytes > 0 || queue.length === 0) cut();
    while (queue.length > 0) yield await (queue.shift() as Promise<Buffer>);
  } finally {
    for (const member of queue) markHandled(member);
  }
}
