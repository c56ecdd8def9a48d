import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, type TDb } from '@/lib/db/client';
import { createTestDb, type TTestDb } from '@/test/test-db';
import type { TAlertEvent } from './alert-event';
import { listOpenIncidents } from './incidents';
import { createAlertRaiser } from './raise-alert';
import { startWebhookReceiver } from './testing/webhook-receiver';
import { WebhookChannel } from './webhook-channel';

const FAILED: TAlertEvent = {
  event: 'backup.failed',
  severity: 'critical',
  message: 'The scheduled backup of 2027-01-11T02:00:00.000Z failed after 4 attempt(s): the disk is full',
  scheduleId: 'sched-1',
  incidentKey: 'backup.failed:sched-1',
};
const RECOVERED: TAlertEvent = {
  event: 'recovered',
  severity: 'info',
  message: 'Scheduled backups work again.',
  scheduleId: 'sched-1',
  incidentKey: 'backup.failed:sched-1',
};
const TOKEN = 'SECRET-PATH-TOKEN';

describe('raising alerts: once per incident, across processes', () => {
  let db: TTestDb;
  // A second connection to the same database stands for a second process (PGlite in memory has only one).
  let other: TDb;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const logged: string[] = [];
  let now = new Date('2027-01-11T03:00:00Z');

  const raiser = (on: TDb, path = '/ok') =>
    createAlertRaiser({
      prisma: on.prisma,
      channels: [new WebhookChannel({ url: `${receiver.url}${path}/${TOKEN}`, secret: 'a-webhook-secret-of-16+' })],
      audit: { actorId: null },
      instance: 'test-school',
      log: (line) => logged.push(line),
      clock: () => now,
    });
  const sent = () => receiver.requests.map((request) => JSON.parse(request.body) as { event: string; message: string });

  beforeAll(async () => {
    db = await createTestDb();
    other = db.engine === 'postgres' && db.target.kind === 'postgres' ? await createDb(db.target) : db;
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    if (other && other !== db) await other.close();
    await db?.close();
  });
  beforeEach(async () => {
    receiver.requests.length = 0;
    logged.length = 0;
    await db.prisma.backupIncident.deleteMany();
    await db.prisma.auditLog.deleteMany({ where: { action: 'backup.alert.sent' } });
  });

  it('sends the first raise of an incident once, however many processes raise it, and counts the rest', async () => {
    const [a, b] = [raiser(db), raiser(other)];
    await Promise.all([a(FAILED), b(FAILED), a(FAILED), b(FAILED)]);
    now = new Date(now.getTime() + 60_000);
    await b(FAILED);
    expect(sent().map((body) => body.event)).toEqual(['backup.failed']);
    const [incident] = await listOpenIncidents(db.prisma);
    expect(incident).toMatchObject({ key: 'backup.failed:sched-1', event: 'backup.failed', severity: 'critical', count: 5 });
    expect(incident?.lastSeenAt).toBe(now.toISOString());
    expect(new Date(incident?.openedAt ?? 0).getTime()).toBeLessThan(now.getTime());
    const audits = await db.prisma.auditLog.findMany({ where: { action: 'backup.alert.sent' } });
    expect(audits).toHaveLength(1);
    expect(audits[0]?.outcome).toBe('SUCCESS');
    expect(audits[0]?.details).toMatchObject({ event: 'backup.failed', deliveries: [{ channel: 'webhook', ok: true }] });
    // The audit names the receiver's host, never its URL's path (a token) or the signing secret.
    expect(JSON.stringify(audits[0]?.details)).not.toContain(TOKEN);
    expect(JSON.stringify(audits[0]?.details)).not.toContain('a-webhook-secret');
  });

  it('closes the incident on recovery and sends that once; a later failure is a new incident', async () => {
    const [a, b] = [raiser(db), raiser(other)];
    await a(FAILED);
    await Promise.all([a(RECOVERED), b(RECOVERED)]);
    await b(RECOVERED);
    expect(sent().map((body) => body.event)).toEqual(['backup.failed', 'recovered']);
    expect(await listOpenIncidents(db.prisma)).toEqual([]);
    const closed = await db.prisma.backupIncident.findUniqueOrThrow({ where: { key: 'backup.failed:sched-1' } });
    expect(closed.resolvedAt).not.toBeNull();
    await b(FAILED);
    expect(sent().map((body) => body.event)).toEqual(['backup.failed', 'recovered', 'backup.failed']);
    expect(await listOpenIncidents(db.prisma)).toMatchObject([{ count: 1 }]);
  });

  it('sends nothing for a recovery with no open incident', async () => {
    await raiser(db)(RECOVERED);
    expect(sent()).toEqual([]);
    expect(await db.prisma.auditLog.count({ where: { action: 'backup.alert.sent' } })).toBe(0);
  });

  it('never throws: a failed delivery is audited as FAILURE and logged, the incident stays open', async () => {
    await expect(raiser(db, '/refuse')(FAILED)).resolves.toBeUndefined();
    const [audit] = await db.prisma.auditLog.findMany({ where: { action: 'backup.alert.sent' } });
    expect(audit?.outcome).toBe('FAILURE');
    expect(audit?.details).toMatchObject({ deliveries: [{ ok: false, error: expect.stringContaining('HTTP 400') }] });
    expect(logged.join('\n')).toMatch(/not delivered.*HTTP 400/);
    expect(await listOpenIncidents(db.prisma)).toHaveLength(1);
  });

  it('never throws when the incident table cannot be written: it logs', async () => {
    // The table out of the way: the statement fails inside the raiser, the way a lost database would.
    await db.prisma.$executeRawUnsafe('ALTER TABLE "BackupIncident" RENAME TO "BackupIncidentAway"');
    try {
      await expect(raiser(db)(FAILED)).resolves.toBeUndefined();
      expect(logged.join('\n')).toMatch(/Could not raise the backup.failed alert \(backup.failed:sched-1\)/);
      expect(sent()).toEqual([]);
    } finally {
      await db.prisma.$executeRawUnsafe('ALTER TABLE "BackupIncidentAway" RENAME TO "BackupIncident"');
    }
  });
});
