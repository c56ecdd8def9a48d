import type { Role, StaffPosition } from '@/generated/prisma/client';
import { asDate, atTime, utcDate } from './calendar';
import { demoAccount } from './demo-accounts';
import { asciiSlug } from './names';
import { type TSchoolContext, uniqueEmail } from './school-context';
import type { TStaffPlan } from './staff';
import type { TStudentBody } from './students';
import type { TRowOf, userTable } from './tables';

export type TUserRow = TRowOf<typeof userTable>;

/** Password hashes for the seeded accounts. */
export interface TSeedPasswords {
  /**
   * The hash every ordinary seeded account shares. scrypt is slow on purpose
   * (a quarter of a second), so hashing thousands of accounts one by one would
   * dominate the seed; they share one hash of the demo password instead.
   */
  shared: string;
  /** A hash of its own for each demo account. */
  demo: Readonly<Record<Role, string>>;
}

const ROLE_OF_POSITION: Record<Exclude<StaffPosition, 'DRIVER'>, Role> = {
  PRINCIPAL: 'ADMIN',
  VICE_PRINCIPAL: 'ADMIN',
  ADMINISTRATOR: 'ADMIN',
  TEACHER: 'TEACHER',
  ACCOUNTANT: 'ACCOUNTANT',
  LIBRARIAN: 'LIBRARIAN',
};

// The ERP went live for every seeded school on this date.
const LAUNCH = utcDate('2023-01-09');

/**
 * One login per staff member (drivers excepted) and per student or guardian
 * who has a `userId`. In the first school, one member per role becomes that
 * role's demo account; that school also carries the super admin.
 */
export function planUsers(context: TSchoolContext, staff: TStaffPlan, body: TStudentBody, passwords: TSeedPasswords): TUserRow[] {
  const random = context.random('users');
  const demoRoleOf = new Map<string, Role>();
  if (context.index === 0) {
    const student = body.enrolled.find((candidate) => candidate.row.userId)?.row;
    const parentLink = body.links.find((link) => link.studentId === student?.id && link.isPrimary);
    const parent = body.guardians.find((guardian) => guardian.id === parentLink?.guardianId);
    const picks: [Role, string | null | undefined][] = [
      ['ADMIN', staff.principal.userId],
      ['TEACHER', staff.teachers[0]?.row.userId],
      ['STUDENT', student?.userId],
      ['PARENT', parent?.userId],
      ['ACCOUNTANT', staff.byPosition.ACCOUNTANT[0]?.userId],
      ['LIBRARIAN', staff.byPosition.LIBRARIAN[0]?.userId],
    ];
    for (const [role, userId] of picks) {
      if (!userId) throw new Error(`The first school has no member to hold the ${role} demo account`);
      demoRoleOf.set(userId, role);
    }
  }

  const user = (userId: string, role: Role, name: string, email: string, createdAt: Date, loginChance: number): TUserRow => {
    const demoRole = demoRoleOf.get(userId);
    const lastLogin = random.chance(loginChance)
      ? atTime(utcDate(`2025-11-${String(random.int(1, 21)).padStart(2, '0')}`), random.int(7, 21), random.int(0, 59))
      : null;
    return {
      id: userId,
      schoolId: context.schoolId,
      email: demoRole ? demoAccount(demoRole).email : email,
      passwordHash: demoRole ? passwords.demo[demoRole] : passwords.shared,
      name,
      role,
      isActive: demoRole !== undefined || random.chance(0.98),
      lastLoginAt: lastLogin,
      createdAt,
    };
  };

  const users: TUserRow[] = [];
  if (context.index === 0) {
    users.push({
      id: context.id(),
      schoolId: null,
      email: demoAccount('SUPER_ADMIN').email,
      passwordHash: passwords.demo.SUPER_ADMIN,
      name: 'Platform Administrator',
      role: 'SUPER_ADMIN',
      isActive: true,
      lastLoginAt: atTime(utcDate('2025-11-20'), 17, 42),
      createdAt: atTime(LAUNCH, 8),
    });
  }
  for (const member of staff.rows) {
    if (!member.userId || member.position === 'DRIVER') continue;
    const hired = asDate(member.hireDate);
    const since = new Date(Math.max(hired.getTime(), LAUNCH.getTime()));
    const email = uniqueEmail(context, asciiSlug(member.firstName, member.lastName), context.domain);
    users.push(
      user(member.userId, ROLE_OF_POSITION[member.position], `${member.firstName} ${member.lastName}`, email, atTime(since, 9), 0.9),
    );
  }
  for (const { row } of body.enrolled) {
    if (!row.userId) continue;
    const email = uniqueEmail(context, asciiSlug(row.firstName, row.lastName), `students.${context.domain}`);
    users.push(user(row.userId, 'STUDENT', `${row.firstName} ${row.lastName}`, email, atTime(utcDate('2025-08-28'), 10), 0.7));
  }
  for (const guardian of body.guardians) {
    if (!guardian.userId) continue;
    if (!guardian.email) throw new Error('A guardian with a login needs an e-mail address');
    const createdAt = atTime(utcDate(`2025-08-${String(random.int(20, 31)).padStart(2, '0')}`), random.int(7, 22), random.int(0, 59));
    users.push(user(guardian.userId, 'PARENT', `${guardian.firstName} ${guardian.lastName}`, guardian.email, createdAt, 0.6));
  }
  return users;
}
