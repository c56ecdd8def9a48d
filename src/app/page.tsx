import Link from 'next/link';
import { getDb } from '@/lib/db/client';
import { EmptyState } from './_components/empty-state';
import { SchoolTable } from './_components/school-table';
import { listSchoolSummaries } from './_data/school-summaries';

// The counts change with every write; a page prerendered at build time would
// also need a database during `next build`.
export const dynamic = 'force-dynamic';

/** The dashboard: every school with the size of its records. */
export default async function HomePage() {
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
