import type { Metadata } from 'next';
import { forbidden, redirect } from 'next/navigation';
import { authorizeBackupAdmin } from '@/lib/actions/admin-action';
import { listBackupAuditLogAction, listBackupsAction, listOpenIncidentsAction, listSchedulesAction } from '@/lib/actions/backupActions';
import { getCurrentUser } from '@/lib/auth/current-user';
import { serverTimezone } from '@/lib/utils/backup-service';
import { ActivityPanel } from './_components/activity-panel';
import { parseDashboardSearch, toAuditQuery } from './_components/activity-query';
import type { TBackupRef } from './_components/activity-sentence';
import { AlertMessage } from './_components/alert-message';
import { BackupNamesProvider } from './_components/backup-names';
import { BackupTable } from './_components/backup-table';
import { CreateBackupPanel } from './_components/create-backup-panel';
import { DeletedToggle } from './_components/deleted-toggle';
import { ManualRetentionPanel } from './_components/manual-retention-panel';
import { MultiSchoolNotice } from './_components/multi-school-notice';
import { OpenProblems } from './_components/open-problems';
import { PendingUploads } from './_components/pending-uploads';
import { SchedulesPanel } from './_components/schedules-panel';

// Every request shows the backups and the audit trail as they are now.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Backups' };

/**
 * The backups dashboard: create, follow, verify, download, restore, pin and
 * delete backups, manage the schedules and retention policies that make and
 * remove them, and read their audit trail. Signed-out visitors go to the sign-in
 * page; users whose role the access policy refuses get a real 403
 * (`forbidden()`, rendered by app/forbidden.tsx); a school administrator of
 * a multi-school database is told why. Refusals are audited. The data loads
 * through the same server actions the buttons use, so there is one access
 * check for both.
 */
export default async function BackupsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await getCurrentUser();
  if (!user) redirect('/login?next=/admin/backups');
  const access = await authorizeBackupAdmin('backup.dashboard.view');
  if (!access.allowed) {
    if (access.reason === 'MULTI_SCHOOL') return <MultiSchoolNotice message={access.error} />;
    forbidden();
  }

  const { search, error: searchError } = parseDashboardSearch(await searchParams);
  const showDeleted = search.deleted === '1';
  // Deleted backups are always loaded: the activity names them by file even when the list hides them.
  const [backups, activity, schedules, incidents] = await Promise.all([
    listBackupsAction({ includeDeleted: true }),
    listBackupAuditLogAction(toAuditQuery(search)),
    listSchedulesAction(),
    listOpenIncidentsAction(),
  ]);
  const listed = backups.success ? backups.data.filter((backup) => showDeleted || backup.status !== 'DELETED') : [];
  const refs = new Map<string, TBackupRef>(
    (backups.success ? backups.data : []).map((backup) => [
      backup.id,
      { id: backup.id, filename: backup.filename, listed: showDeleted || backup.status !== 'DELETED' },
    ]),
  );
  // Names for the ids a retention preview answers with (deleted backups are never in one).
  const backupNames = Object.fromEntries(
    (backups.success ? backups.data : []).filter((backup) => backup.status !== 'DELETED').map((backup) => [backup.id, backup.filename]),
  );
  const scheduleNames = new Map((schedules.success ? schedules.data : []).map((schedule) => [schedule.id, schedule.name]));
  const timezone = serverTimezone();
  return (
    <>
      <h1>Backups</h1>
      {incidents.success ? <OpenProblems incidents={incidents.data} /> : <AlertMessage message={incidents.error} />}
      <div className="backups-dashboard">
        <CreateBackupPanel />
        <section aria-labelledby="backups-title">
          <h2 id="backups-title" className="section-title">
            Saved backups
          </h2>
          <DeletedToggle search={search} />
          {backups.success ? (
            <>
              <PendingUploads backups={listed} />
              <BackupTable backups={listed} showDeleted={showDeleted} scheduleNames={scheduleNames} />
            </>
          ) : (
            <AlertMessage message={backups.error} />
          )}
        </section>
        <BackupNamesProvider names={backupNames}>
          {schedules.success ? (
            <SchedulesPanel schedules={schedules.data} serverTimezone={timezone} backups={refs} />
          ) : (
            <AlertMessage message={schedules.error} />
          )}
          <ManualRetentionPanel serverTimezone={timezone} />
        </BackupNamesProvider>
        <AlertMessage message={searchError} />
        {activity.success ? (
          <ActivityPanel page={activity.data} search={search} backups={refs} />
        ) : (
          <AlertMessage message={activity.error} />
        )}
      </div>
    </>
  );
}
