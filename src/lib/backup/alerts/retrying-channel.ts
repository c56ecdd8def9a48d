import { setTimeout as delay } from 'node:timers/promises';
import { type AlertChannel, AlertDeliveryError, abortedDelivery, type TAlertMessage } from './channel';

/** Reported before each retry, e.g. to log "webhook to hooks.example.org: HTTP 502, retrying (attempt 2/3) in 2 s". */
export interface TChannelRetryEvent {
  channel: string;
  /** The attempt that failed, from 1. */
  attempt: number;
  attempts: number;
  delayMs: number;
  error: AlertDeliveryError;
}

export interface TChannelRetryOptions {
  /** Total attempts including the first. */
  attempts?: number;
  /** Wait after the first failure; doubled after each later one. */
  baseDelayMs?: number;
  /** Replaced in tests to avoid real waiting. */
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (event: TChannelRetryEvent) => void;
}

/**
 * Wraps a channel so each attempt gives up after `timeoutMs` (the signal
 * aborts the request; the attempt rejects as transient), so a receiver that
 * hangs cannot hold an operation up.
 */
export function withTimeout(channel: AlertChannel, timeoutMs: number): AlertChannel {
  return {
    kind: channel.kind,
    describe: () => channel.describe(),
    async send(message: TAlertMessage, outer?: AbortSignal) {
      const signal = outer ? AbortSignal.any([outer, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      if (signal.aborted) throw abortedDelivery(channel);
      // The channel should honour the signal; racing it too makes the limit hold even if one does not.
      const aborted = new Promise<never>((_, reject) => {
        signal.addEventListener('abort', () => reject(abortedDelivery(channel, signal.reason)), { once: true });
      });
      const sent = channel.send(message, signal);
      // Whichever loses the race must not become an unhandled rejection.
      sent.then(
        () => undefined,
        () => undefined,
      );
      aborted.then(
        () => undefined,
        () => undefined,
      );
      return Promise.race([sent, aborted]);
    },
  };
}

/**
 * Wraps a channel so transient failures (`AlertDeliveryError.transient`) are
 * tried again with exponential backoff: 3 attempts, 1 s then 2 s apart by
 * default. A permanent failure (a 4xx, a refused address) is thrown at once.
 * A receiver may then see one message twice (its answer was lost); webhooks
 * carry `at` and the incident's event for it to notice.
 */
export function withRetries(channel: AlertChannel, options: TChannelRetryOptions = {}): AlertChannel {
  const attempts = options.attempts ?? 3;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  return {
    kind: channel.kind,
    describe: () => channel.describe(),
    async send(message: TAlertMessage, signal?: AbortSignal) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await channel.send(message, signal);
        } catch (error) {
          const failure =
            error instanceof AlertDeliveryError
              ? error
              : new AlertDeliveryError(`${channel.describe()}: delivery failed`, false, { cause: error });
          if (!failure.transient || attempt >= attempts || signal?.aborted) throw failure;
          const delayMs = baseDelayMs * 2 ** (attempt - 1);
          options.onRetry?.({ channel: channel.describe(), attempt, attempts, delayMs, error: failure });
          await sleep(delayMs);
        }
      }
    },
  };
}
