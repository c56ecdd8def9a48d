import Link from 'next/link';
import { getCurrentUser } from '@/lib/auth/current-user';
import { roleLabel } from '@/lib/auth/roles';
import { decideBackupAccess } from '@/lib/backup/api/access-policy';
import { NavLink } from './nav-link';

/** The product name, the main navigation and who is signed in, on every page. */
export async function SiteHeader() {
  const user = await getCurrentUser();
  // Only the role decides the link: an administrator of a multi-school
  // database is let in to read why backups are refused there, not a bare 403.
  const backupsLink = user !== null && decideBackupAccess(user, 1).allowed;
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        School ERP
      </Link>
      <nav aria-label="Main">
        <NavLink href="/">Home</NavLink>
        {backupsLink ? <NavLink href="/admin/backups">Backups</NavLink> : null}
      </nav>
      <div className="site-header-account">
        {user ? (
          <>
            <span className="site-header-user">
              Signed in as {user.name} ({roleLabel(user.role)})
            </span>
            {/* A plain form post, so signing out works before (or without) JavaScript. */}
            <form action="/logout" method="post">
              <button type="submit" className="button">
                Sign out
              </button>
            </form>
          </>
        ) : (
          <NavLink href="/login">Sign in</NavLink>
        )}
      </div>
    </header>
  );
}
