import nodemailer from 'nodemailer';
import { alertBody, alertSubject } from './alert-text';
import { type AlertChannel, AlertDeliveryError, abortedDelivery, type TAlertMessage } from './channel';

export interface TEmailConfig {
  /** `smtp://user:pass@host:587` or `smtps://…:465` (SMTP_URL). Its credentials never leave this module. */
  smtpUrl: string;
  /** One address or several, comma-separated (BACKUP_ALERT_EMAIL_TO). */
  to: string;
  from: string;
}

/** The parts of a nodemailer error worth classifying; it has no exported error type. */
interface TSmtpErrorFacts {
  code?: unknown;
  responseCode?: unknown;
}

/**
 * Sends the alert as a plain-text email over SMTP with nodemailer: a subject
 * and body a school administrator understands, with what to do. One
 * connection per message: alerts are rare, a pool would hold a socket open
 * for nothing.
 */
export class EmailChannel implements AlertChannel {
  readonly kind = 'email';
  private readonly host: string;

  constructor(private readonly config: TEmailConfig) {
    this.host = new URL(config.smtpUrl).hostname;
  }

  describe(): string {
    return `email to ${this.config.to} via ${this.host}`;
  }

  async send(message: TAlertMessage, signal?: AbortSignal): Promise<void> {
    // nodemailer's own limits as a backstop; the caller's signal (withTimeout) usually ends a hung dialogue first.
    const transport = nodemailer.createTransport({
      url: this.config.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 10_000,
    });
    try {
      await transport.sendMail({
        from: this.config.from,
        to: this.config.to,
        subject: alertSubject(message),
        text: alertBody(message),
        signal,
      });
    } catch (error) {
      if (signal?.aborted) throw abortedDelivery(this, error);
      throw this.failure(error);
    } finally {
      transport.close();
    }
  }

  /** nodemailer's messages can quote the server's dialogue; only its codes are kept. */
  private failure(error: unknown): AlertDeliveryError {
    const facts: TSmtpErrorFacts = typeof error === 'object' && error !== null ? error : {};
    const responseCode = typeof facts.responseCode === 'number' ? facts.responseCode : undefined;
    const code = typeof facts.code === 'string' ? facts.code : 'unknown error';
    if (code === 'EAUTH')
      return new AlertDeliveryError(`${this.describe()}: the mail server refused the SMTP_URL login`, false, { cause: error });
    if (responseCode !== undefined) {
      // 4xx: try later (greylisting, a full queue); 5xx: refused for good (a wrong address, relaying denied).
      const transient = responseCode < 500;
      return new AlertDeliveryError(`${this.describe()}: the mail server answered ${responseCode} (${code})`, transient, { cause: error });
    }
    return new AlertDeliveryError(`${this.describe()}: could not reach the mail server (${code})`, true, { cause: error });
  }
}
