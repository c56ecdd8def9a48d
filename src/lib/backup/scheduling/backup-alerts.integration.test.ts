import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { healthResponse } from '@/app/api/health/backups/health-response';
import { backupHealth as backupHealthResult } from '@/lib/utils/backup-service';
import { useBackupTestbed } from '@/test/backup-testbed';
import { httpHeartbeat } from '../alerts/heartbeat';
import { createAlertRaiser } from '../alerts/raise-alert';
import { startWebhookReceiver } from '../alerts/testing/webhook-receiver';
import { WebhookChannel } from '../alerts/webhook-channel';
import type { TBackupDeps } from '../service/deps';
import { backupHealth, checkBackupAge } from './backup-health';
import { executeRun, MAX_ATTEMPTS } from './execute-run';
import { runDue } from './run-due';
import { takeNextRun } from './run-queue';
import { addSchedule } from './schedule-store';
import { claimDueSlots } from './slot-claims';

const HOUR = 3_600_000;

describe("alerts raised by scheduled backups, the dead man's switch and the health check", () => {
  const bed = useBackupTestbed();
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let deps: TBackupDeps;
  // The real time of the test run: schedules and backup rows are stamped by the database's own clock.
  const start = new Date();
  const at = (hours: number) => new Date(start.getTime() + hours * HOUR);
  let now = start;

  const events = () =>
    receiver.requests
      .filter((request) => request.method === 'POST')
      .map((request) => (JSON.parse(request.body) as { event: string }).event);
  const pings = () => receiver.requests.filter((request) => request.method === 'GET');

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
  });
  beforeEach(async () => {
    receiver.requests.length = 0;
    const prisma = bed.db.prisma;
    await prisma.backupIncident.deleteMany();
    await prisma.backupScheduleRun.deleteMany();
    await prisma.backup.deleteMany();
    await prisma.backupSchedule.deleteMany();
    deps = {
      ...bed.deps,
      alert: createAlertRaiser({
        prisma,
        channels: [new WebhookChannel({ url: `${receiver.url}/ok/hook` })],
        audit: { actorId: null },
        instance: 'test-school',
        log: () => undefined,
        clock: () => now,
      }),
      heartbeat: httpHeartbeat(`${receiver.url}/ok/ping`),
    };
  });

  const completedBackupAt = (when: Date) =>
    bed.db.prisma.backup.create({
      data: { filename: `backup-${when.getTime()}.json.gz.enc`, type: 'MANUAL', status: 'COMPLETED', models: [], completedAt: when },
    });

  it('a scheduled backup that fails for good alerts once; the next success says recovered and pings the heartbeat', async () => {
    const schedule = await addSchedule({ cron: '*/5 * * * *', timezone: 'UTC' }, deps, start);
    now = at(1);
    await claimDueSlots(deps, now);
    const blocked = path.join(deps.backupDir, 'not-a-directory');
    fs.writeFileSync(blocked, 'x');
    const broken: TBackupDeps = { ...deps, backupDir: blocked };
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const run = await takeNextRun(broken, 'runner-a', now);
      if (!run) throw new Error('no run to take');
      await executeRun(run, broken, { runnerId: 'runner-a', clock: () => now });
      now = new Date((await bed.db.prisma.backupScheduleRun.findFirstOrThrow({ where: { id: run.id } })).notBefore.getTime() + 1000);
    }
    expect(events()).toEqual(['backup.failed']);
    expect(pings()).toHaveLength(0);
    const failing = await backupHealth(deps, now);
    expect(failing).toMatchObject({ status: 'failing', reason: 'A scheduled backup failed', level: 2 });

    now = new Date(now.getTime() + HOUR);
    await claimDueSlots(deps, now);
    const run = await takeNextRun(deps, 'runner-a', now);
    if (!run) throw new Error('no run to take');
    const outcome = await executeRun(run, deps, { runnerId: 'runner-a', clock: () => now });
    expect(outcome.status).toBe('SUCCEEDED');
    expect(events()).toEqual(['backup.failed', 'recovered']);
    expect(pings()).toHaveLength(1);
    const recovered = JSON.parse(receiver.requests.find((request) => request.body.includes('recovered'))?.body ?? '{}');
    expect(recovered).toMatchObject({ scheduleId: schedule.id, backupId: outcome.backupId });
    expect((await backupHealth(deps, now)).incidents).toEqual([]);
  });

  it("the dead man's switch: stale past the limit (alerted once), recovered when a backup lands", async () => {
    await addSchedule({ cron: '0 2 * * *', timezone: 'UTC' }, deps, start);
    now = at(20);
    expect((await checkBackupAge(deps, now)).stale).toBe(false);
    expect((await backupHealth(deps, now)).status).toBe('ok');
    now = at(27);
    expect(await checkBackupAge(deps, now)).toMatchObject({ stale: true, maxAgeHours: 26, lastSuccessAt: null });
    now = at(28);
    await checkBackupAge(deps, now);
    expect(events()).toEqual(['backup.stale']);
    expect(await backupHealth(deps, now)).toMatchObject({ status: 'stale', level: 2, lastSuccessAt: null });

    await completedBackupAt(at(28.5));
    now = at(29);
    expect(await checkBackupAge(deps, now)).toMatchObject({ stale: false, ageHours: 0.5 });
    await checkBackupAge(deps, now);
    expect(events()).toEqual(['backup.stale', 'recovered']);
    const healthy = await backupHealth(deps, now);
    expect(healthy).toMatchObject({ status: 'ok', level: 0, ageHours: 0.5, lastSuccessAt: at(28.5).toISOString(), incidents: [] });
    expect(healthy.nextRunAt).not.toBeNull();

    now = at(28.5 + 27);
    expect(await backupHealth(deps, now)).toMatchObject({ status: 'stale', ageHours: 27 });
    // BACKUP_MAX_AGE_HOURS set: its limit, not the default.
    expect(await backupHealth({ ...deps, maxBackupAgeHours: 48 }, now)).toMatchObject({ status: 'ok', maxAgeHours: 48 });
  });

  it('without a daily schedule nothing is stale unless BACKUP_MAX_AGE_HOURS says so', async () => {
    await addSchedule({ cron: '0 3 * * 0', timezone: 'UTC' }, deps, start);
    await completedBackupAt(at(-100));
    expect(await checkBackupAge(deps, start)).toMatchObject({ stale: false, maxAgeHours: null });
    expect(events()).toEqual([]);
    // Every scheduler pass runs the check after its runs (none are due here).
    const pass = await runDue({ ...deps, maxBackupAgeHours: 72 }, { runnerId: 'runner-a', clock: () => start });
    expect(pass.runs).toEqual([]);
    expect(events()).toEqual(['backup.stale']);
  });

  it('an open warning (an upload failed) is WARNING; a critical one is CRITICAL', async () => {
    await completedBackupAt(start);
    await deps.alert?.({ event: 'upload.failed', severity: 'warning', message: 'S3 down', backupId: 'b1', incidentKey: 'upload.failed' });
    expect(await backupHealth(deps, start)).toMatchObject({ status: 'ok', level: 1, incidents: [{ event: 'upload.failed' }] });
    await deps.alert?.({
      event: 'scrub.damaged',
      severity: 'critical',
      message: 'copy damaged',
      backupId: 'b1',
      incidentKey: 'scrub.damaged:b1:local',
    });
    expect(await backupHealth(deps, start)).toMatchObject({
      status: 'failing',
      level: 2,
      reason: 'A stored backup copy is missing or damaged',
    });
  });

  describe('GET /api/health/backups', () => {
    const call = (token?: string, authorization?: string) =>
      healthResponse(new Request('http://localhost/api/health/backups', { headers: authorization ? { authorization } : {} }), {
        token,
        health: () => backupHealthResult({ deps, clock: () => now }),
      });

    it('answers 200 with the age and the next run, and nothing else', async () => {
      await addSchedule({ cron: '0 2 * * *', timezone: 'UTC' }, deps, start);
      const backup = await completedBackupAt(start);
      now = at(2);
      const response = await call();
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const body = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['ageHours', 'lastSuccessAt', 'nextRunAt', 'status']);
      expect(body).toMatchObject({ status: 'ok', ageHours: 2, lastSuccessAt: start.toISOString() });
      expect(JSON.stringify(body)).not.toContain(backup.id);
    });

    it('answers 503 stale or failing with a reason that names no backup, schedule or file', async () => {
      const schedule = await addSchedule({ cron: '0 2 * * *', timezone: 'UTC' }, deps, start);
      const backup = await completedBackupAt(start);
      now = at(30);
      const stale = await call();
      expect(stale.status).toBe(503);
      expect(await stale.json()).toMatchObject({ status: 'stale', reason: expect.stringMatching(/30 hours ago, more than the 26 hours/) });
      await completedBackupAt(at(29));
      await deps.alert?.({
        event: 'backup.failed',
        severity: 'critical',
        message: `Backup ${backup.filename} of schedule ${schedule.id} failed`,
        scheduleId: schedule.id,
        incidentKey: `backup.failed:${schedule.id}`,
      });
      const failing = await call();
      expect(failing.status).toBe(503);
      const text = await failing.text();
      expect(JSON.parse(text)).toMatchObject({ status: 'failing', reason: 'A scheduled backup failed' });
      for (const secret of [schedule.id, backup.id, backup.filename]) expect(text).not.toContain(secret);
    });

    it('requires the bearer token when HEALTH_TOKEN is set', async () => {
      const token = 'health-token-0123456789abcdef';
      expect((await call(token)).status).toBe(401);
      expect((await call(token, 'Bearer wrong-token')).status).toBe(401);
      expect((await call(token, `Basic ${token}`)).status).toBe(401);
      const allowed = await call(token, `Bearer ${token}`);
      expect([200, 503]).toContain(allowed.status);
      expect(await allowed.json()).toHaveProperty('status');
    });
  });
});
