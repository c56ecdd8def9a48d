import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '@/lib/backup/alerts/testing/webhook-receiver';
import { useCliTestbed } from '@/test/cli-testbed';

const HOUR = 3_600_000;
const SECRET = 'cli-webhook-secret-0123456789';

/** The parsed --json output of a run. */
function jsonOf(run: { stdout: string; stderr: string }) {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`not JSON: ${run.stdout} ${run.stderr}`);
  }
}

describe('erp-backup health and alert test, through the real bin', { timeout: 600_000 }, () => {
  const cli = useCliTestbed();
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });

  it('exits 0 OK, 2 CRITICAL when the newest backup is too old, 1 WARNING or 2 CRITICAL for open incidents', async () => {
    const ok = await cli.run('health', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(jsonOf(ok)).toMatchObject({ success: true, data: { status: 'ok', level: 0, lastSuccessAt: null } });

    // A daily schedule set up 30 hours ago that never produced a backup.
    const longAgo = new Date(Date.now() - 30 * HOUR);
    await cli.withDb((db) =>
      db.prisma.backupSchedule.create({ data: { name: 'Nightly', cron: '0 2 * * *', timezone: 'UTC', retention: {}, createdAt: longAgo } }),
    );
    const stale = await cli.run('health', '--json');
    expect(stale.code, stale.stderr).toBe(2);
    expect(jsonOf(stale).data).toMatchObject({ status: 'stale', level: 2, maxAgeHours: 26 });
    const human = await cli.run('health');
    expect(human.code).toBe(2);
    expect(human.stdout).toMatch(/^BACKUPS CRITICAL - No backup has completed within 26 hours/);
    // BACKUP_MAX_AGE_HOURS raises the limit.
    expect((await cli.runWith({ BACKUP_MAX_AGE_HOURS: '48' }, 'health', '--json')).code).toBe(0);

    await cli.withDb((db) =>
      db.prisma.backup.create({
        data: {
          filename: 'backup-cli-health.json.gz.enc',
          type: 'MANUAL',
          status: 'COMPLETED',
          models: [],
          completedAt: new Date(Date.now() - HOUR),
        },
      }),
    );
    expect((await cli.run('health', '--json')).code).toBe(0);

    const incident = (key: string, severity: string) => ({
      key,
      event: key.split(':')[0] ?? key,
      severity,
      message: `${key} happened`,
      openedAt: new Date(),
      lastSeenAt: new Date(),
    });
    await cli.withDb((db) => db.prisma.backupIncident.create({ data: incident('upload.failed', 'warning') }));
    const warning = await cli.run('health', '--json');
    expect(warning.code).toBe(1);
    expect(jsonOf(warning).data).toMatchObject({ status: 'ok', level: 1, incidents: [{ key: 'upload.failed', severity: 'warning' }] });
    await cli.withDb((db) => db.prisma.backupIncident.create({ data: incident('scrub.damaged:b1:local', 'critical') }));
    const critical = await cli.run('health');
    expect(critical.code).toBe(2);
    expect(critical.stdout).toMatch(/^BACKUPS CRITICAL - A stored backup copy is missing or damaged/);
    expect(critical.stdout).toContain('WARNING upload.failed');
  });

  it('alert test: says when no channel is configured, sends a signed test through the webhook, reports a refusal', async () => {
    const none = await cli.run('alert', 'test', '--json');
    expect(none.code).toBe(1);
    expect(jsonOf(none)).toMatchObject({ success: true, data: { configured: false, deliveries: [] } });
    expect((await cli.run('alert', 'test')).stdout).toMatch(/No alert channel is configured/);

    const sent = await cli.runWith(
      { BACKUP_ALERT_WEBHOOK_URL: `${receiver.url}/ok/cli`, BACKUP_ALERT_WEBHOOK_SECRET: SECRET, BACKUP_ALERT_INSTANCE: 'school-a' },
      'alert',
      'test',
      '--json',
    );
    expect(sent.code, sent.stderr).toBe(0);
    expect(jsonOf(sent).data).toEqual({
      configured: true,
      deliveries: [{ channel: 'webhook', target: expect.stringContaining('127.0.0.1'), ok: true }],
    });
    const [request] = receiver.requests.filter((r) => r.path === '/ok/cli');
    expect(JSON.parse(request?.body ?? '{}')).toMatchObject({ event: 'alert.test', severity: 'info', instance: 'school-a' });
    expect(request?.headers['x-erp-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET)
        .update(request?.body ?? '')
        .digest('hex')}`,
    );

    const refused = await cli.runWith({ BACKUP_ALERT_WEBHOOK_URL: `${receiver.url}/refuse` }, 'alert', 'test');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/NOT SENT .*HTTP 400/);
    const audits = await cli.withDb((db) =>
      db.prisma.auditLog.findMany({ where: { action: 'backup.alert.test' }, orderBy: { id: 'asc' } }),
    );
    expect(audits.map((audit) => audit.outcome)).toEqual(['SUCCESS', 'FAILURE']);
  });

  it('refuses email settings given by halves, naming the missing ones', async () => {
    const half = await cli.runWith({ SMTP_URL: 'smtp://127.0.0.1:2525' }, 'alert', 'test', '--json');
    expect(half.code).not.toBe(0);
    expect(half.stdout + half.stderr).toMatch(/BACKUP_ALERT_EMAIL_TO: is required with SMTP_URL/);
  });
});
