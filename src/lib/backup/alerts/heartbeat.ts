import { setTimeout as delay } from 'node:timers/promises';
import { causeCode } from './webhook-channel';

/** Tells a push monitor that a scheduled backup succeeded; rejects with a message fit for the log (no URL: it holds the check's token). */
export type THeartbeat = () => Promise<void>;

export interface THeartbeatOptions {
  timeoutMs?: number;
  attempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A heartbeat that GETs `url` (BACKUP_HEARTBEAT_URL), the way Healthchecks.io
 * and Uptime Kuma push monitors expect: the monitor alerts when pings stop,
 * which also catches a server that is down and can send nothing itself.
 * Each try gives up after 10 s; 3 tries, 1 s then 2 s apart.
 */
export function httpHeartbeat(url: string, options: THeartbeatOptions = {}): THeartbeat {
  const attempts = options.attempts ?? 3;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const host = new URL(url).host;
  return async () => {
    for (let attempt = 1; ; attempt++) {
      let problem: string;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 10_000), redirect: 'follow' });
        await response.body?.cancel();
        if (response.ok) return;
        problem = `HTTP ${response.status}`;
      } catch (error) {
        problem = causeCode(error);
      }
      if (attempt >= attempts) throw new Error(`The heartbeat to ${host} failed after ${attempts} tries (${problem})`);
      await sleep((options.baseDelayMs ?? 1000) * 2 ** (attempt - 1));
    }
  };
}

/**
 * Sends the heartbeat after a successful scheduled backup, if one is
 * configured. Never throws: a monitor that is unreachable must not turn a
 * good backup into a failed one; it is logged, and the monitor itself
 * alerts when pings stop.
 */
export async function sendHeartbeat(deps: { heartbeat?: THeartbeat; log?: (message: string) => void }): Promise<void> {
  if (!deps.heartbeat) return;
  try {
    await deps.heartbeat();
  } catch (error) {
    deps.log?.(`[alerts] ${error instanceof Error ? error.message : String(error)}`);
  }
}
