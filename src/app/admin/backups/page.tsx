import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ForbiddenPage } from '@/app/_components/forbidden-page';
import { listBackupAuditLogAction, listBackupsAction } from '@/lib/actions/backupActions';
import { getCurrentUser } from '@/lib/auth/current-user';
import { decideBackupAccess } from '@/lib/backup/access-policy';
import { getDb } from '@/lib/db/client';
import { ActivityPanel } from './_components/activity-panel';
import { ALL_ACTIVITY, toAuditQuery } from './_components/activity-query';
import { AlertMessage } from './_components/alert-message';
import { BackupTable } from './_components/backup-table';
import { CreateBackupPanel } from './_components/create-backup-panel';
import { MultiSchoolNotice } from './_components/multi-school-notice';

// Every request shows the backups and the audit trail as they are now.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = { title: 'Backups' };

/**
 * The backups dashboard: create, follow, verify, download, restore and delete
 * backups, and read their audit trail. Signed-out visitors go to the sign-in
 * page; users the access policy refuses get the 403 page. The data loads
 * through the same server actions the buttons use, so there is one access
 * check for both.
 *
 * The 403 is rendered with status 200: `forbidden()` needs the experimental
 * `authInterrupts` flag in next.config.js, which this page does not own.
 */
export default async function BackupsPage() {
  const user = await getCurrentUser();
  if (!user) redirect('/login?next=/admin/backups');
  const { prisma } = await getDb();
  const access = decideBackupAccess(user, await prisma.school.count());
  if (!access.allowed) {
    return access.reason === 'MULTI_SCHOOL' ? <MultiSchoolNotice message={access.message} /> : <ForbiddenPage role={user.role} />;
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
          {backups.success ? <BackupTable backups={backups.data} /> : <AlertMessage message={backups.error} />}
        </section>
        {activity.success ? <ActivityPanel initialEntries={activity.data} /> : <AlertMessage message={activity.error} />}
      </div>
    </>
  );
}
