import { ALERT_ADVICE } from '../alerts/alert-text';
import { listOpenIncidents, type TIncidentView } from '../alerts/incidents';
import { judgeBackupAge, maxAgeHoursFor } from '../schedule/backup-age';
import type { TBackupDeps } from '../service/deps';
import { listSchedules } from './schedule-store';

/** The incident key of the dead man's switch: one incident at a time, closed by the next completed backup. */
export const STALE_INCIDENT_KEY = 'backup.stale';

/** What the health check and the dead man's switch know about the backups' age. */
export interface TBackupAgeFacts {
  lastSuccessAt: Date | null;
  ageHours: number | null;
  maxAgeHours: number | null;
  stale: boolean;
  /** The next slot of any enabled backup schedule; null with none. */
  nextRunAt: string | null;
}

/** The newest completed backup, the enabled backup schedules and the limit in force, judged at `now`. */
export async function readBackupAge(deps: TBackupDeps, now: Date): Promise<TBackupAgeFacts> {
  const newest = await deps.db.prisma.backup.findFirst({
    where: { status: 'COMPLETED', completedAt: { not: null } },
    orderBy: { completedAt: 'desc' },
    select: { completedAt: true },
  });
  // Backups are what the switch watches: drill and scrub schedules make none.
  const schedules = (await listSchedules(deps, now)).filter((schedule) => schedule.enabled && schedule.kind === 'BACKUP');
  const maxAgeHours = maxAgeHoursFor(deps.maxBackupAgeHours, schedules, now);
  const lastSuccessAt = newest?.completedAt ?? null;
  const expectedSince = schedules.map((schedule) => new Date(schedule.createdAt)).sort((a, b) => a.getTime() - b.getTime())[0] ?? null;
  const age = judgeBackupAge({ lastSuccessAt, expectedSince, maxAgeHours, now });
  const nextRunAt = schedules.flatMap((schedule) => (schedule.nextRunAt ? [schedule.nextRunAt] : [])).sort()[0] ?? null;
  return { lastSuccessAt, ageHours: age.ageHours, maxAgeHours, stale: age.stale, nextRunAt };
}

/**
 * The dead man's switch, run by every scheduler pass: raises `backup.stale`
 * when no backup has completed within the limit (once per incident: every
 * pass raises, one alert is sent), and `recovered` once one has.
 */
export async function checkBackupAge(deps: TBackupDeps, now: Date): Promise<TBackupAgeFacts> {
  const facts = await readBackupAge(deps, now);
  if (facts.stale) {
    const since = facts.lastSuccessAt
      ? `the last one completed ${facts.ageHours} hours ago`
      : 'none has completed since the backup schedule was set up';
    await deps.alert?.({
      event: 'backup.stale',
      severity: 'critical',
      message: `No backup has completed for more than ${facts.maxAgeHours} hours: ${since}.`,
      incidentKey: STALE_INCIDENT_KEY,
    });
  } else if (facts.lastSuccessAt) {
    await deps.alert?.({
      event: 'recovered',
      severity: 'info',
      message: `A backup completed again (${facts.lastSuccessAt.toISOString()}); backups are no longer overdue.`,
      incidentKey: STALE_INCIDENT_KEY,
    });
  }
  return facts;
}

/** The health of the backups, for GET /api/health/backups and `erp-backup health`. */
export interface TBackupHealth {
  /** `stale`: the dead man's switch; `failing`: a critical incident is open (a failed backup, a failed drill, damage). */
  status: 'ok' | 'stale' | 'failing';
  /** Why it is not ok, in words that name no backup, file or data; null when ok. */
  reason: string | null;
  lastSuccessAt: string | null;
  ageHours: number | null;
  nextRunAt: string | null;
  maxAgeHours: number | null;
  /** Nagios/Icinga: 0 OK, 1 WARNING (an open warning incident), 2 CRITICAL (stale, or an open critical incident). */
  level: 0 | 1 | 2;
  /** The open incidents, most severe first (the CLI and the dashboard show them; the HTTP endpoint does not). */
  incidents: TIncidentView[];
}

/** Judges the backups' health at `now` from their age and the open incidents. */
export async function backupHealth(deps: TBackupDeps, now: Date): Promise<TBackupHealth> {
  const facts = await readBackupAge(deps, now);
  const incidents = await listOpenIncidents(deps.db.prisma);
  const critical = incidents.filter((incident) => incident.severity === 'critical' && incident.key !== STALE_INCIDENT_KEY);
  const common = {
    lastSuccessAt: facts.lastSuccessAt?.toISOString() ?? null,
    ageHours: facts.ageHours,
    nextRunAt: facts.nextRunAt,
    maxAgeHours: facts.maxAgeHours,
    incidents,
  };
  if (facts.stale) {
    const reason = facts.lastSuccessAt
      ? `The last backup completed ${facts.ageHours} hours ago, more than the ${facts.maxAgeHours} hours allowed`
      : `No backup has completed within ${facts.maxAgeHours} hours of the schedule's creation`;
    return { status: 'stale', reason, level: 2, ...common };
  }
  const [first] = critical;
  if (first) {
    const reason = titleOf(first.event);
    return {
      status: 'failing',
      reason: critical.length > 1 ? `${reason} (and ${critical.length - 1} other problem(s))` : reason,
      level: 2,
      ...common,
    };
  }
  const level = incidents.some((incident) => incident.severity === 'warning') ? 1 : 0;
  return { status: 'ok', reason: null, level, ...common };
}

/** The plain title of an event (no ids, no data): what the health endpoint may say. */
function titleOf(event: string): string {
  return event in ALERT_ADVICE ? ALERT_ADVICE[event as keyof typeof ALERT_ADVICE].title : 'A backup problem is open';
}
