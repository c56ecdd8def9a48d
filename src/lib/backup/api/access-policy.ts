import type { Role } from '@/generated/prisma/enums';

/**
 * Who may use whole-database backups. A backup holds every school of the
 * database, and a restore replaces every school's data, so:
 *
 * | Role         | single-school database | multi-school database |
 * |--------------|------------------------|-----------------------|
 * | SUPER_ADMIN  | everything             | everything            |
 * | ADMIN        | everything             | refused (says why)    |
 * | other roles  | refused                | refused               |
 *
 * "Everything" is: create, list, progress, verify, download, restore,
 * delete, and reading the backup audit trail.
 */
export type TAccessDecision =
  | { allowed: true }
  | { allowed: false; reason: 'UNAUTHENTICATED' | 'FORBIDDEN_ROLE' | 'MULTI_SCHOOL'; message: string };

const ACCESS_MESSAGES = {
  unauthenticated: 'Unauthorized',
  forbiddenRole: 'Forbidden: admin access required',
  multiSchool: (schools: number) =>
    `Forbidden: this database holds ${schools} schools, and a whole-database backup or restore covers all of them, so only a super administrator may use it (per-school backups are not available yet)`,
} as const;

export function decideBackupAccess(user: { role: Role } | null, schoolCount: number): TAccessDecision {
  if (!user) return { allowed: false, reason: 'UNAUTHENTICATED', message: ACCESS_MESSAGES.unauthenticated };
  if (user.role === 'SUPER_ADMIN') return { allowed: true };
  if (user.role !== 'ADMIN') return { allowed: false, reason: 'FORBIDDEN_ROLE', message: ACCESS_MESSAGES.forbiddenRole };
  if (schoolCount > 1) return { allowed: false, reason: 'MULTI_SCHOOL', message: ACCESS_MESSAGES.multiSchool(schoolCount) };
  return { allowed: true };
}
