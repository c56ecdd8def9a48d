import Link from 'next/link';
import { getCurrentUser } from '@/lib/auth/current-user';
import { getDb } from '@/lib/db/client';
import { EmptyState } from './_components/empty-state';
import { SchoolTable } from './_components/school-table';
import { listSchoolSummaries } from './_data/school-summaries';

// The counts change with every write; a page prerendered at build time would
// also need a database during `next build`.
export const dynamic = 'force-dynamic';

/**
 * The dashboard: every school with the size of its records, for signed-in
 * users only (a school's name and head counts are not for anonymous visitors).
 */
export default async function HomePage() {
  const user = await getCurrentUser();
  if (!user) {
    return (
      <>
        <h1>Dashboard</h1>
        <EmptyState title="Sign in to see your school">
          <p>
            The schools and their figures are shown to signed-in staff only. <Link href="/login">Sign in</Link>
          </p>
        </EmptyState>
      </>
    );
  }
  const { prisma } = await getDb();
  const schools = await listSchoolSummaries(prisma);
  return (
    <>
      <h1>Dashboard</h1>
      {schools.length ? (
        <SchoolTable schools={schools} />
      ) : (
        <EmptyState title="No schools yet">
          <p>
            This database has no school. Run <code>npm run db:seed</code> to load demo data, or{' '}
            <Link href="/admin/backups">restore a backup</Link>.
          </p>
        </EmptyState>
      )}
    </>
  );
}
