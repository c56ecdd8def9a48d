import type { Role } from '@/generated/prisma/client';

/** The password of every seeded account. Documented in the README; never use a seeded database in production. */
export const DEMO_PASSWORD = 'demo1234';

export interface TDemoAccount {
  email: string;
  role: Role;
  /** Who the account belongs to in the seeded data. */
  description: string;
}

/**
 * One login per role, for trying the app. All but the super admin belong to
 * the first seeded school and are real members of it: the teacher has
 * classes, the parent is the primary guardian of the student.
 */
export const DEMO_ACCOUNTS: readonly TDemoAccount[] = [
  { email: 'superadmin@demo.school', role: 'SUPER_ADMIN', description: 'Platform operator, no school' },
  { email: 'admin@demo.school', role: 'ADMIN', description: 'Principal of the first school' },
  { email: 'teacher@demo.school', role: 'TEACHER', description: 'Teacher with a homeroom section' },
  { email: 'student@demo.school', role: 'STUDENT', description: 'Student in grade 7 or above' },
  { email: 'parent@demo.school', role: 'PARENT', description: 'Primary guardian of the demo student' },
  { email: 'accountant@demo.school', role: 'ACCOUNTANT', description: 'School accountant' },
  { email: 'librarian@demo.school', role: 'LIBRARIAN', description: 'School librarian' },
];

/** The demo account of a role. */
export function demoAccount(role: Role): TDemoAccount {
  const account = DEMO_ACCOUNTS.find((candidate) => candidate.role === role);
  if (!account) throw new Error(`No demo account for ${role}`);
  return account;
}
