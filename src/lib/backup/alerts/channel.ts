import type { TAlertEventName } from './alert-event';

/** What a channel sends: the webhook's JSON body, word for word, and what the email is written from. */
export interface TAlertMessage {
  /** The event, or `alert.test` for `erp-backup alert test`. */
  event: TAlertEventName | 'alert.test';
  severity: 'critical' | 'warning' | 'info';
  /** One sentence for an administrator; never a secret, a key, a path or a stack. */
  message: string;
  backupId: string | null;
  scheduleId: string | null;
  /** When it was raised (ISO 8601). */
  at: string;
  /** Which installation speaks: BACKUP_ALERT_INSTANCE, else the host name. */
  instance: string;
}

/**
 * One way of telling a person (a webhook, an email). The contract every
 * channel honours (and `channel-contract.ts` checks):
 *
 * - `send` resolves once the receiver has accepted the message (a 2xx
 *   answer, an SMTP `250`), and only then.
 * - Every failure rejects with an `AlertDeliveryError` whose message names
 *   the channel as `describe()` does and never carries a secret: no webhook
 *   signing secret, no URL path or query (they often hold tokens), no SMTP
 *   password. `transient` says whether trying again may help (a timeout, a
 *   refused connection, a 5xx or 429, an SMTP 4xx).
 * - `send` gives up when `signal` aborts, rejecting with a transient error.
 * - Channels do not retry or time out by themselves; `withRetries` and
 *   `withTimeout` (retrying-channel.ts) wrap them for that.
 */
export interface AlertChannel {
  readonly kind: 'webhook' | 'email';
  /** Where it sends, without secrets: `webhook to hooks.example.org`, `email to ops@school.org`. */
  describe(): string;
  send(message: TAlertMessage, signal?: AbortSignal): Promise<void>;
}

/** A failed delivery, with a message fit for the audit log and the CLI. */
export class AlertDeliveryError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AlertDeliveryError';
  }
}

/** The error of an aborted send (the timeout fired): transient, a later try may get through. */
export function abortedDelivery(channel: AlertChannel, cause?: unknown): AlertDeliveryError {
  return new AlertDeliveryError(`${channel.describe()}: no answer in time`, true, { cause });
}
