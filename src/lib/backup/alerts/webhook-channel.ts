import { createHmac } from 'node:crypto';
import { type AlertChannel, AlertDeliveryError, abortedDelivery, type TAlertMessage } from './channel';

/** The header a receiver checks the body against, the way GitHub signs its webhooks. */
export const SIGNATURE_HEADER = 'X-ERP-Signature';

/** `sha256=<hex HMAC-SHA256 of the raw body>` with the shared secret. */
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface TWebhookConfig {
  url: string;
  /** Signs each body when set (BACKUP_ALERT_WEBHOOK_SECRET). */
  secret?: string;
}

/** Answers worth trying again: the receiver is overloaded or briefly down. */
const isTransientStatus = (status: number) => status >= 500 || status === 429 || status === 408;

/**
 * Posts the message as JSON (`{event, severity, backupId, scheduleId,
 * message, at, instance}`) with Node's fetch. Any 2xx is a delivery; the
 * receiver's answer body is not read into any message (it may echo secrets).
 */
export class WebhookChannel implements AlertChannel {
  readonly kind = 'webhook';
  private readonly url: URL;

  constructor(private readonly config: TWebhookConfig) {
    this.url = new URL(config.url);
  }

  describe(): string {
    // The host only: paths and queries of webhook URLs (Slack, Teams) are themselves secrets.
    return `webhook to ${this.url.host}`;
  }

  async send(message: TAlertMessage, signal?: AbortSignal): Promise<void> {
    const body = JSON.stringify({
      event: message.event,
      severity: message.severity,
      backupId: message.backupId,
      scheduleId: message.scheduleId,
      message: message.message,
      at: message.at,
      instance: message.instance,
    });
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'erp-backup-alerts' };
    if (this.config.secret) headers[SIGNATURE_HEADER] = signBody(body, this.config.secret);
    let response: Response;
    try {
      response = await fetch(this.url, { method: 'POST', headers, body, signal, redirect: 'error' });
    } catch (error) {
      if (signal?.aborted) throw abortedDelivery(this, error);
      throw new AlertDeliveryError(`${this.describe()}: could not connect (${causeCode(error)})`, true, { cause: error });
    }
    // Free the connection; the answer's body is of no interest.
    await response.body?.cancel();
    if (!response.ok) {
      throw new AlertDeliveryError(`${this.describe()}: the receiver answered HTTP ${response.status}`, isTransientStatus(response.status));
    }
  }
}

/** `ECONNREFUSED`, `ENOTFOUND`…: fetch hides the system error in `cause`. Never the URL. */
export function causeCode(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause && typeof cause === 'object' && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'unknown error';
}
