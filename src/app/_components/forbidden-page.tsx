import Link from 'next/link';
import type { Role } from '@/generated/prisma/enums';
import { roleLabel } from '@/lib/auth/roles';

/**
 * What a signed-in user without an administrator role sees instead of an
 * admin-only page (such as backups). Render it in place of the page's
 * content; it says which role the user has and where to go instead.
 */
export function ForbiddenPage({ role }: { role: Role }) {
  return (
    <section aria-labelledby="forbidden-title">
      <h1 id="forbidden-title">403 — Administrators only</h1>
      <p>
        This page is for school administrators. Your role, {roleLabel(role)}, does not have access to it. If you need it, ask an
        administrator of your school.
      </p>
      <p>
        <Link href="/">Back to the dashboard</Link>
      </p>
    </section>
  );
}
