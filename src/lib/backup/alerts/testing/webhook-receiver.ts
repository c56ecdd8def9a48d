import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the loopback receiver got. */
export interface TWebhookRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP server on loopback for the webhook and heartbeat tests. Paths:
 * `/ok…` answers 204; `/refuse…` 400; `/busy…` 503; `/flaky/<n>` 500 for the
 * first n requests, then 204; `/hang` never answers. Every request is recorded.
 */
export async function startWebhookReceiver(): Promise<{ url: string; requests: TWebhookRequest[]; close(): Promise<void> }> {
  const requests: TWebhookRequest[] = [];
  const flaky = new Map<string, number>();
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      requests.push({ method: request.method ?? '', path, headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      const flakyMatch = /^\/flaky\/(\d+)/.exec(path);
      if (path === '/hang') {
        hanging.add(response);
        return;
      }
      let status = 204;
      if (path.startsWith('/refuse')) status = 400;
      if (path.startsWith('/busy')) status = 503;
      if (flakyMatch) {
        const seen = (flaky.get(path) ?? 0) + 1;
        flaky.set(path, seen);
        if (seen <= Number(flakyMatch[1])) status = 500;
      }
      response.writeHead(status).end(status === 204 ? undefined : 'refused: secret-in-answer-body');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A port that was just free: nothing listens on it. */
export async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
