import type { PrismaClient } from '@/generated/prisma/client';
import { type TAuditContext, writeAuditBestEffort } from '@/lib/audit/audit-log';
import type { AlertChannel } from './channel';
import { deliver, type TDelivery } from './deliver';

/** What `erp-backup alert test` reports. */
export interface TTestAlertResult {
  /** False when no channel is configured (nothing was sent). */
  configured: boolean;
  deliveries: TDelivery[];
}

/**
 * Sends a test alert through every configured channel, outside the incident
 * machinery (a test is never "already sent"), and audits it as
 * `backup.alert.test` with each channel's result.
 */
export async function sendTestAlert(
  options: {
    prisma: PrismaClient;
    channels: readonly AlertChannel[];
    audit: TAuditContext;
    instance: string;
    log: (message: string) => void;
  },
  now: Date,
): Promise<TTestAlertResult> {
  if (options.channels.length === 0) return { configured: false, deliveries: [] };
  const deliveries = await deliver(options.channels, {
    event: 'alert.test',
    severity: 'info',
    message: 'This is a test of the backup alerts of the school ERP. If you can read it, alerts reach you.',
    backupId: null,
    scheduleId: null,
    at: now.toISOString(),
    instance: options.instance,
  });
  await writeAuditBestEffort(
    options.prisma,
    options.audit,
    {
      action: 'backup.alert.test',
      outcome: deliveries.every((delivery) => delivery.ok) ? 'SUCCESS' : 'FAILURE',
      details: { deliveries },
    },
    options.log,
  );
  return { configured: true, deliveries };
}
