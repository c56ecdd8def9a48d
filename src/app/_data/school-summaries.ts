import 'server-only';
import type { PrismaClient } from '@/generated/prisma/client';

/** One row of the dashboard: a school and the size of its records. */
export interface TSchoolSummary {
  id: string;
  code: string;
  name: string;
  students: number;
  staff: number;
  attendanceRecords: number;
}

/** Every school, by name, with its student, staff and attendance-record counts. */
export async function listSchoolSummaries(prisma: PrismaClient): Promise<TSchoolSummary[]> {
  const schools = await prisma.school.findMany({
    orderBy: { name: 'asc' },
    select: { id: true, code: true, name: true, _count: { select: { students: true, staff: true } } },
  });
  // Attendance belongs to a school only through its student, which `_count` cannot follow.
  return Promise.all(
    schools.map(async (school) => ({
      id: school.id,
      code: school.code,
      name: school.name,
      students: school._count.students,
      staff: school._count.staff,
      attendanceRecords: await prisma.attendanceRecord.count({ where: { student: { schoolId: school.id } } }),
    })),
  );
}
