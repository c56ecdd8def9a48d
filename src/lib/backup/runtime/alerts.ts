import os from 'node:os';
import type { TAuditContext } from '@/lib/audit/audit-log';
import { loadEnv, type TEnv } from '@/lib/env';
import type { TRaiseAlert } from '../alerts/alert-event';
import type { AlertChannel } from '../alerts/channel';
import { EmailChannel } from '../alerts/email-channel';
import { httpHeartbeat, type THeartbeat } from '../alerts/heartbeat';
import { createAlertRaiser } from '../alerts/raise-alert';
import { withRetries, withTimeout } from '../alerts/retrying-channel';
import { sendTestAlert, type TTestAlertResult } from '../alerts/test-alert';
import { WebhookChannel } from '../alerts/webhook-channel';
import type { TBackupDeps } from '../service/deps';

/** Each try of a channel gives up after this long (README, "Alerts and health"). */
const CHANNEL_TIMEOUT_MS = 10_000;

/** The name alerts give this installation. */
export function alertInstance(env: TEnv): string {
  return env.BACKUP_ALERT_INSTANCE ?? os.hostname();
}

/**
 * The alert channels the environment configures, each with a 10 s timeout
 * per try and 3 tries: a webhook (BACKUP_ALERT_WEBHOOK_URL) and an email
 * (SMTP_URL with BACKUP_ALERT_EMAIL_TO and BACKUP_ALERT_EMAIL_FROM).
 */
export function alertChannelsFromEnv(env: TEnv, log: (message: string) => void): AlertChannel[] {
  const wrap = (channel: AlertChannel) =>
    withRetries(withTimeout(channel, CHANNEL_TIMEOUT_MS), {
      onRetry: (retry) =>
        log(`[alerts] ${retry.error.message}; trying again (attempt ${retry.attempt + 1}/${retry.attempts}) in ${retry.delayMs} ms`),
    });
  const channels: AlertChannel[] = [];
  if (env.BACKUP_ALERT_WEBHOOK_URL)
    channels.push(wrap(new WebhookChannel({ url: env.BACKUP_ALERT_WEBHOOK_URL, secret: env.BACKUP_ALERT_WEBHOOK_SECRET })));
  // env.ts has refused email settings given by halves.
  if (env.SMTP_URL && env.BACKUP_ALERT_EMAIL_TO && env.BACKUP_ALERT_EMAIL_FROM) {
    channels.push(wrap(new EmailChannel({ smtpUrl: env.SMTP_URL, to: env.BACKUP_ALERT_EMAIL_TO, from: env.BACKUP_ALERT_EMAIL_FROM })));
  }
  return channels;
}

/** The alerting part of the backup dependencies: `alert`, `heartbeat` and the dead man's switch's limit. */
export function alertDepsFromEnv(
  env: TEnv,
  db: TBackupDeps['db'],
  audit: TAuditContext,
  log: (message: string) => void,
): Pick<TBackupDeps, 'alert' | 'heartbeat' | 'maxBackupAgeHours'> {
  const alert: TRaiseAlert = createAlertRaiser({
    prisma: db.prisma,
    channels: alertChannelsFromEnv(env, log),
    audit,
    instance: alertInstance(env),
    log,
  });
  const heartbeat: THeartbeat | undefined = env.BACKUP_HEARTBEAT_URL ? httpHeartbeat(env.BACKUP_HEARTBEAT_URL) : undefined;
  return { alert, heartbeat, maxBackupAgeHours: env.BACKUP_MAX_AGE_HOURS };
}

/** `erp-backup alert test`: a test alert through every channel the environment configures, each delivery reported. */
export async function sendTestAlertFromEnv(deps: TBackupDeps, now: Date, env: TEnv = loadEnv()): Promise<TTestAlertResult> {
  const log = deps.log ?? (() => undefined);
  const channels = alertChannelsFromEnv(env, log);
  return sendTestAlert({ prisma: deps.db.prisma, channels, audit: deps.audit, instance: alertInstance(env), log }, now);
}
