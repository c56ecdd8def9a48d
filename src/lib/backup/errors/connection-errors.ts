/**
 * Recognises an error that means a database connection is gone (the server
 * restarted, failed over, ended the session, or cannot be reached), however
 * deeply a driver, the driver adapter or Prisma wrapped it, so the engine can
 * say so in one clear sentence instead of passing a driver's text on.
 */
export function isConnectionLost(error: unknown): boolean {
  return layersOf(error).some(
    (layer) =>
      (typeof layer.code === 'string' && CONNECTION_CODES.test(layer.code)) ||
      (typeof layer.kind === 'string' && CONNECTION_KINDS.has(layer.kind)) ||
      (typeof layer.message === 'string' && CONNECTION_MESSAGES.test(layer.message)),
  );
}

/**
 * SQLSTATE class 08 (connection exception), 57P01–57P05 (administrator,
 * crash or start-up shutdown, database dropped, idle session timeout) and
 * 25P03 (idle-in-transaction timeout), Prisma's "cannot reach", "server closed the
 * connection" and "no connection from the pool in time", and socket errors.
 */
const CONNECTION_CODES = /^(08\w{3}|57P0[1-5]|25P03|P1001|P1002|P1017|P2024|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EHOSTUNREACH)$/;

/** The driver adapter's names for the same failures. */
const CONNECTION_KINDS = new Set(['ConnectionClosed', 'DatabaseNotReachable', 'SocketTimeout']);

/** What node-postgres and pg-pool say when a connection died under them, or none could be had. */
const CONNECTION_MESSAGES =
  /Connection terminated|not queryable|Server has closed the connection|timeout exceeded when trying to connect|Connection ended unexpectedly/i;

interface TLayer {
  code?: unknown;
  kind?: unknown;
  message?: unknown;
}

/** The error, its causes, and the driver-adapter error Prisma keeps in `meta`. */
function layersOf(error: unknown): TLayer[] {
  const layers: TLayer[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && layers.length < 20) {
    const layer = pending.shift();
    if (typeof layer !== 'object' || layer === null) continue;
    layers.push(layer as TLayer);
    const { cause, meta } = layer as { cause?: unknown; meta?: { driverAdapterError?: unknown } };
    pending.push(cause, meta?.driverAdapterError);
  }
  return layers;
}

/**
 * Runs a small idempotent piece of bookkeeping (marking a row FAILED,
 * reading a row back), again if it failed because its connection was dead.
 * After a server restart every idle connection of a pool is dead, and the
 * pool may hand one out before it has noticed; each attempt takes another
 * connection, and a dead one is dropped when it fails.
 */
export async function retryOnLostConnection<T>(operation: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !isConnectionLost(error)) throw error;
    }
  }
}
