import type { TScheduleView } from '@/lib/backup/scheduling/schedule-store';
import type { TBackupRef } from './activity-sentence';
import { formatInZone } from './format';
import { retentionWords } from './retention-words';
import { AddScheduleButton, ScheduleActions } from './schedule-actions';
import { scheduleKindLabel } from './schedule-draft';
import { StatusBadge } from './status-badge';

interface TSchedulesPanelProps {
  schedules: TScheduleView[];
  /** New schedules start in this timezone (the server's). */
  serverTimezone: string;
  /** The backups on the page, to name and link the one a schedule last made. */
  backups: ReadonlyMap<string, TBackupRef>;
}

/** A time of a schedule, in the schedule's own timezone (rendered on the server: the same text for everyone). */
function ZonedTime({ iso, timezone }: { iso: string; timezone: string }) {
  return (
    <time dateTime={iso} title={iso}>
      {formatInZone(iso, timezone)}
    </time>
  );
}

function LastRun({ schedule, backups }: { schedule: TScheduleView; backups: ReadonlyMap<string, TBackupRef> }) {
  if (!schedule.lastRunAt || !schedule.lastStatus) return <span className="muted">Not run yet</span>;
  const backup = schedule.lastBackupId ? backups.get(schedule.lastBackupId) : undefined;
  return (
    <>
      <StatusBadge status={schedule.lastStatus} /> for <ZonedTime iso={schedule.lastRunAt} timezone={schedule.timezone} />
      {backup ? (
        <>
          {' · '}
          <a href={backup.listed ? `#backup-${backup.id}` : `?deleted=1#backup-${backup.id}`}>{backup.filename}</a>
        </>
      ) : null}
      {schedule.lastError ? <span className="schedule-error">{schedule.lastError}</span> : null}
    </>
  );
}

/**
 * The Schedules panel: each schedule's timing in words, whether it is on, its
 * next run, how its last run ended and what its retention policy keeps, with
 * buttons to switch it off and on, edit it and remove it; and "Add schedule".
 */
export function SchedulesPanel({ schedules, serverTimezone, backups }: TSchedulesPanelProps) {
  return (
    <section className="panel" aria-labelledby="schedules-title">
      <div className="panel-head">
        <h2 id="schedules-title">Schedules</h2>
        <AddScheduleButton serverTimezone={serverTimezone} />
      </div>
      <p className="muted">
        Backups, restore drills and scrubs run automatically, exactly once per time slot whichever server runs them; each backup is followed
        by its schedule's retention policy.
      </p>
      {schedules.length ? (
        <ul className="schedule-list">
          {schedules.map((schedule) => {
            const nameId = `schedule-${schedule.id}-name`;
            return (
              <li key={schedule.id} className="schedule-card">
                <div className="schedule-head">
                  <h3 id={nameId}>{schedule.name}</h3>
                  <span className="schedule-kind">{scheduleKindLabel(schedule)}</span>
                  <StatusBadge status={schedule.enabled ? 'ENABLED' : 'DISABLED'} />
                </div>
                <p className="schedule-timing">{schedule.description}</p>
                <dl className="schedule-facts">
                  <dt>Next run</dt>
                  <dd>
                    {schedule.nextRunAt ? (
                      <ZonedTime iso={schedule.nextRunAt} timezone={schedule.timezone} />
                    ) : (
                      <span className="muted">None while disabled</span>
                    )}
                  </dd>
                  <dt>Last run</dt>
                  <dd>
                    <LastRun schedule={schedule} backups={backups} />
                  </dd>
                  {schedule.kind === 'BACKUP' ? (
                    <>
                      <dt>Retention</dt>
                      <dd>{retentionWords(schedule.retention)}</dd>
                    </>
                  ) : null}
                </dl>
                <ScheduleActions schedule={schedule} serverTimezone={serverTimezone} describedBy={nameId} />
              </li>
            );
          })}
        </ul>
      ) : (
        <p>No schedule: backups are made only when someone presses "Create backup". Add one to protect the school every night.</p>
      )}
    </section>
  );
}
