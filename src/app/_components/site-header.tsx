import Link from 'next/link';
import { NavLink } from './nav-link';

/** The product name and the main navigation, on every page. */
export function SiteHeader() {
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        School ERP
      </Link>
      <nav aria-label="Main">
        <NavLink href="/">Home</NavLink>
        <NavLink href="/admin/backups">Backups</NavLink>
      </nav>
    </header>
  );
}
