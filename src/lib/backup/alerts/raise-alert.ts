import type { PrismaClient } from '@/generated/prisma/client';
import { type TAuditContext, writeAuditBestEffort } from '@/lib/audit/audit-log';
import type { TAlertEvent, TRaiseAlert } from './alert-event';
import type { AlertChannel, TAlertMessage } from './channel';
import { deliver } from './deliver';
import { recordRaise, resolveIncident } from './incidents';

export interface TAlertRaiserOptions {
  prisma: PrismaClient;
  /** The configured channels, already wrapped with retries and timeouts; none is allowed (incidents are still recorded). */
  channels: readonly AlertChannel[];
  audit: TAuditContext;
  /** Which installation speaks (BACKUP_ALERT_INSTANCE or the host name). */
  instance: string;
  log: (message: string) => void;
  clock?: () => Date;
}

/**
 * The `TRaiseAlert` the service gets as `deps.alert`. Each alert is sent once
 * per incident, across processes: the incident table (incidents.ts) says
 * which raise opened it, and only that one delivers. A `recovered` event
 * closes the incident its key names and is sent only by the call that closed
 * it (a recovery with nothing open says nothing). Each delivery is audited
 * (`backup.alert.sent`, with each channel's result). Never throws: a database
 * or channel failure is logged, and the operation that raised goes on.
 */
export function createAlertRaiser(options: TAlertRaiserOptions): TRaiseAlert {
  const clock = options.clock ?? (() => new Date());
  return async (event) => {
    try {
      const now = clock();
      const news =
        event.event === 'recovered'
          ? await resolveIncident(options.prisma, event.incidentKey, now)
          : await recordRaise(options.prisma, event, now);
      if (!news) return;
      const deliveries = await deliver(options.channels, messageOf(event, now, options.instance));
      for (const failed of deliveries) if (!failed.ok) options.log(`[alerts] The ${event.event} alert was not delivered: ${failed.error}`);
      await writeAuditBestEffort(
        options.prisma,
        options.audit,
        {
          action: 'backup.alert.sent',
          outcome: deliveries.every((delivery) => delivery.ok) ? 'SUCCESS' : 'FAILURE',
          targetId: event.backupId ?? event.scheduleId ?? null,
          details: { event: event.event, severity: event.severity, incidentKey: event.incidentKey, message: event.message, deliveries },
        },
        options.log,
      );
    } catch (error) {
      options.log(
        `[alerts] Could not raise the ${event.event} alert (${event.incidentKey}): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
}

/** The message channels send for an event. */
export function messageOf(event: TAlertEvent, at: Date, instance: string): TAlertMessage {
  return {
    event: event.event,
    severity: event.severity,
    message: event.message,
    backupId: event.backupId ?? null,
    scheduleId: event.scheduleId ?? null,
    at: at.toISOString(),
    instance,
  };
}
