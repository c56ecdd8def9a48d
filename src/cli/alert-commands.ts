import type { TBackupHealth, TTestAlertResult } from '@/lib/utils/backup-service';
import { defineCommand, requireNoArgs, type TCommand } from './command';

/** Nagios/Icinga plugin words for the exit codes 0, 1 and 2. */
const LEVEL_WORD = ['OK', 'WARNING', 'CRITICAL'] as const;

export function describeHealth(health: TBackupHealth): string {
  const age = health.lastSuccessAt ? `last backup ${health.ageHours} h ago (${health.lastSuccessAt})` : 'no completed backup yet';
  const limit = health.maxAgeHours === null ? 'no age limit' : `limit ${health.maxAgeHours} h`;
  const next = health.nextRunAt ? `next run ${health.nextRunAt}` : 'no schedule enabled';
  const head = `BACKUPS ${LEVEL_WORD[health.level]} - ${health.reason ?? 'backups are recent'}; ${age}, ${limit}, ${next}`;
  const incidents = health.incidents.map(
    (incident) =>
      `  ${incident.severity.toUpperCase()} ${incident.event} since ${incident.openedAt} (raised ${incident.count}x): ${incident.message}`,
  );
  return [head, ...(incidents.length > 0 ? ['Open problems:', ...incidents] : [])].join('\n');
}

export function describeTestAlert(result: TTestAlertResult): string {
  if (!result.configured) {
    return 'No alert channel is configured: set BACKUP_ALERT_WEBHOOK_URL, or SMTP_URL with BACKUP_ALERT_EMAIL_TO and BACKUP_ALERT_EMAIL_FROM.';
  }
  return result.deliveries.map((delivery) => (delivery.ok ? `sent      ${delivery.target}` : `NOT SENT  ${delivery.error}`)).join('\n');
}

/** The alert and health commands (README, "Alerts and health"). */
export const ALERT_COMMANDS: readonly TCommand[] = [
  defineCommand({
    name: 'health',
    synopsis: '',
    summary: 'check the backups like a monitoring plugin: exit 0 OK, 1 WARNING, 2 CRITICAL',
    options: {},
    needsKey: false,
    parse: ({ args }) => {
      requireNoArgs(args, 'health');
      return async ({ backups }) => {
        const health = await backups.backupHealth();
        if (health.success) return health;
        // Backups whose state cannot even be read are a critical problem for a monitor, not a usage error.
        const unreadable: TBackupHealth = {
          status: 'failing',
          reason: `The backup status could not be read: ${health.error}`,
          lastSuccessAt: null,
          ageHours: null,
          nextRunAt: null,
          maxAgeHours: null,
          level: 2,
          incidents: [],
        };
        return { success: true, data: unreadable };
      };
    },
    exitCode: (health) => health.level,
    describe: describeHealth,
  }),
  defineCommand({
    name: 'alert test',
    synopsis: '',
    summary: 'send a test alert through every configured channel and report each delivery',
    options: {},
    needsKey: false,
    parse: ({ args }) => {
      requireNoArgs(args, 'alert test');
      return ({ backups }) => backups.sendTestAlert();
    },
    // Nothing configured is a failure too: no alert could reach anyone.
    exitCode: (result) => (!result.configured || result.deliveries.some((delivery) => !delivery.ok) ? 1 : 0),
    describe: describeTestAlert,
  }),
];
