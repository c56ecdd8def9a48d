import type { Role } from '@/generated/prisma/enums';

const ROLE_LABELS: Record<Role, string> = {
  SUPER_ADMIN: 'Super administrator',
  ADMIN: 'Administrator',
  TEACHER: 'Teacher',
  STUDENT: 'Student',
  PARENT: 'Parent',
  ACCOUNTANT: 'Accountant',
  LIBRARIAN: 'Librarian',
};

/** How a role reads in the interface ("Administrator", not `ADMIN`). */
export function roleLabel(role: Role): string {
  return ROLE_LABELS[role];
}
