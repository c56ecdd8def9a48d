import type { Metadata } from 'next';
import { forbidden, redirect } from 'next/navigation';
import { authorizeBackupAdmin } from '@/lib/actions/admin-action';
import { listBackupAuditLogAction, listBackupsAction } from '@/lib/actions/backupActions';
import { getCurrentUser } from '@/lib/auth/current-user';
import { ActivityPanel } from './_components/activity-panel';
import { ALL_ACTIVITY, toAuditQuery } from './_components/activity-query';
import { AlertMessage } from './_components/alert-message';
import { BackupTable } from './_components/backup-table';
import { CreateBackupPanel } from './_components/create-backup-panel';
import { MultiSchoolNotice } from './_components/multi-school-notice';
import { PendingUploads } from './_components/pending-uploads';

// Every request shows the backups and the audit trail as they are now.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Backups' };

/**
 * The backups dashboard: create, follow, verify, download, restore and delete
 * backups, and read their audit trail. Signed-out visitors go to the sign-in
 * page; users whose role the access policy refuses get a real 403
 * (`forbidden()`, rendered by app/forbidden.tsx); a school administrator of
 * a multi-school database is told why. Refusals are audited. The data loads
 * through the same server actions the buttons use, so there is one access
 * check for both.
 */
export default async function BackupsPage() {
  const user = await getCurrentUser();
  if (!user) redirect('/login?next=/admin/backups');
  const access = await authorizeBackupAdmin('backup.dashboard.view');
  if (!access.allowed) {
    if (access.reason === 'MULTI_SCHOOL') return <MultiSchoolNotice message={access.error} />;
    forbidden();
  }

  const [backups, activity] = await Promise.all([listBackupsAction(), listBackupAuditLogAction(toAuditQuery(ALL_ACTIVITY))]);
  return (
    <>
      <h1>Backups</h1>
      <div className="backups-dashboard">
        <CreateBackupPanel />
        <section aria-labelledby="backups-title">
          <h2 id="backups-title" className="section-title">
            Saved backups
          </h2>
          {backups.success ? (
            <>
              <PendingUploads backups={backups.data} />
              <BackupTable backups={backups.data} />
            </>
          ) : (
            <AlertMessage message={backups.error} />
          )}
        </section>
        {activity.success ? <ActivityPanel initialEntries={activity.data} /> : <AlertMessage message={activity.error} />}
      </div>
    </>
  );
}
