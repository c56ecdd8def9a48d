'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** A header link that tells assistive technology (and the eye) which page is open. */
export function NavLink({ href, children }: { href: string; children: React.ReactNode }) {
  const pathname = usePathname();
  const isCurrent = href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
  return (
    <Link href={href} className="nav-link" aria-current={isCurrent ? 'page' : undefined}>
      {children}
    </Link>
  );
}
