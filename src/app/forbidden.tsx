import { redirect } from 'next/navigation';
import { getCurrentUser } from '@/lib/auth/current-user';
import { ForbiddenPage } from './_components/forbidden-page';

/** The 403 page `forbidden()` renders (with HTTP status 403). */
export default async function Forbidden() {
  const user = await getCurrentUser();
  if (!user) redirect('/login');
  return <ForbiddenPage role={user.role} />;
}
