import { describe, expect, it } from 'vitest';
import type { Role } from '@/generated/prisma/enums';
import { decideBackupAccess } from './access-policy';

describe('who may use whole-database backups', () => {
  const matrix: [Role | null, number, boolean][] = [
    [null, 1, false],
    ['SUPER_ADMIN', 1, true],
    ['SUPER_ADMIN', 40, true],
    ['ADMIN', 0, true],
    ['ADMIN', 1, true],
    ['ADMIN', 2, false],
    ['TEACHER', 1, false],
    ['STUDENT', 1, false],
    ['PARENT', 1, false],
    ['ACCOUNTANT', 1, false],
    ['LIBRARIAN', 1, false],
  ];
  it.each(matrix)('%s with %i school(s): allowed=%s', (role, schools, allowed) => {
    expect(decideBackupAccess(role ? { role } : null, schools).allowed).toBe(allowed);
  });

  it('tells a school administrator of a shared database why, in words', () => {
    const decision = decideBackupAccess({ role: 'ADMIN' }, 3);
    expect(decision.allowed || decision.message).toMatch(/holds 3 schools.*only a super administrator/);
  });
});
