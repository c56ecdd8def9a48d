import type { Prisma } from '@/generated/prisma/client';
import { defineTable, type TTable } from './bulk-insert';

/**
 * Every table the seed fills, with the columns it writes. Autoincrement ids
 * are left to the database; every other column, timestamps included, is
 * given so that a seed is reproducible.
 */

export const schoolTable = defineTable<Prisma.SchoolCreateManyInput>()('School', {
  id: 'text',
  code: 'text',
  name: 'text',
  address: 'text',
  phone: 'text',
  email: 'text',
  timezone: 'text',
  foundedOn: 'date',
  isActive: 'boolean',
  createdAt: 'timestamp',
});

export const schoolSettingTable = defineTable<Prisma.SchoolSettingCreateManyInput>()('SchoolSetting', {
  schoolId: 'text',
  key: 'text',
  value: 'jsonb',
  previousValue: 'jsonb',
  updatedAt: 'timestamp',
});

export const userTable = defineTable<Prisma.UserCreateManyInput>()('User', {
  id: 'text',
  schoolId: 'text',
  email: 'text',
  passwordHash: 'text',
  name: 'text',
  role: '"Role"',
  isActive: 'boolean',
  lastLoginAt: 'timestamp',
  createdAt: 'timestamp',
});

export const academicYearTable = defineTable<Prisma.AcademicYearCreateManyInput>()('AcademicYear', {
  id: 'text',
  schoolId: 'text',
  name: 'text',
  startDate: 'date',
  endDate: 'date',
  isCurrent: 'boolean',
});

export const termTable = defineTable<Prisma.TermCreateManyInput>()('Term', {
  id: 'text',
  academicYearId: 'text',
  name: 'text',
  startDate: 'date',
  endDate: 'date',
});

export const holidayTable = defineTable<Prisma.HolidayCreateManyInput>()('Holiday', {
  schoolId: 'text',
  date: 'date',
  name: 'text',
});

export const staffTable = defineTable<Prisma.StaffCreateManyInput>()('Staff', {
  id: 'text',
  schoolId: 'text',
  userId: 'text',
  employeeNo: 'text',
  firstName: 'text',
  lastName: 'text',
  position: '"StaffPosition"',
  hireDate: 'date',
  salary: 'numeric',
  qualifications: 'text[]',
  managerId: 'text',
});

export const studentTable = defineTable<Prisma.StudentCreateManyInput>()('Student', {
  id: 'text',
  schoolId: 'text',
  userId: 'text',
  admissionNo: 'text',
  firstName: 'text',
  lastName: 'text',
  dateOfBirth: 'date',
  gender: '"Gender"',
  status: '"StudentStatus"',
  photo: 'bytea',
  allergies: 'text[]',
  medicalNotes: 'text',
  createdAt: 'timestamp',
});

export const guardianTable = defineTable<Prisma.GuardianCreateManyInput>()('Guardian', {
  id: 'text',
  schoolId: 'text',
  userId: 'text',
  firstName: 'text',
  lastName: 'text',
  phone: 'text',
  email: 'text',
  occupation: 'text',
});

export const studentGuardianTable = defineTable<Prisma.StudentGuardianCreateManyInput>()('StudentGuardian', {
  studentId: 'text',
  guardianId: 'text',
  relationship: '"GuardianRelationship"',
  isPrimary: 'boolean',
});

export const schoolClassTable = defineTable<Prisma.SchoolClassCreateManyInput>()('SchoolClass', {
  id: 'text',
  schoolId: 'text',
  academicYearId: 'text',
  name: 'text',
  gradeLevel: 'int',
});

export const sectionTable = defineTable<Prisma.SectionCreateManyInput>()('Section', {
  id: 'text',
  classId: 'text',
  name: 'text',
  capacity: 'int',
  room: 'text',
  homeroomTeacherId: 'text',
});

export const subjectTable = defineTable<Prisma.SubjectCreateManyInput>()('Subject', {
  schoolId: 'text',
  code: 'text',
  name: 'text',
  credits: 'float8',
  isCore: 'boolean',
});

export const teachingAssignmentTable = defineTable<Prisma.TeachingAssignmentCreateManyInput>()('TeachingAssignment', {
  sectionId: 'text',
  subjectId: 'int',
  staffId: 'text',
});

export const timetableSlotTable = defineTable<Prisma.TimetableSlotCreateManyInput>()('TimetableSlot', {
  sectionId: 'text',
  subjectId: 'int',
  dayOfWeek: 'int',
  period: 'int',
  startsAt: 'text',
  endsAt: 'text',
});

export const enrollmentTable = defineTable<Prisma.EnrollmentCreateManyInput>()('Enrollment', {
  id: 'text',
  studentId: 'text',
  sectionId: 'text',
  academicYearId: 'text',
  rollNumber: 'int',
  enrolledAt: 'timestamp',
});

export const attendanceRecordTable = defineTable<Prisma.AttendanceRecordCreateManyInput>()('AttendanceRecord', {
  studentId: 'text',
  sectionId: 'text',
  date: 'date',
  status: '"AttendanceStatus"',
  minutesLate: 'int',
  note: 'text',
  recordedById: 'text',
  recordedAt: 'timestamp',
});

export const examTable = defineTable<Prisma.ExamCreateManyInput>()('Exam', {
  id: 'text',
  schoolId: 'text',
  termId: 'text',
  name: 'text',
  type: '"ExamType"',
  startDate: 'date',
  maxMarks: 'int',
});

export const examResultTable = defineTable<Prisma.ExamResultCreateManyInput>()('ExamResult', {
  examId: 'text',
  studentId: 'text',
  subjectId: 'int',
  marks: 'numeric',
  percentile: 'float8',
  grade: 'text',
  remarks: 'text',
});

export const feeStructureTable = defineTable<Prisma.FeeStructureCreateManyInput>()('FeeStructure', {
  id: 'text',
  schoolId: 'text',
  academicYearId: 'text',
  classId: 'text',
  name: 'text',
  amount: 'numeric',
  frequency: '"FeeFrequency"',
  lateFeeRate: 'numeric',
});

export const invoiceTable = defineTable<Prisma.InvoiceCreateManyInput>()('Invoice', {
  id: 'text',
  schoolId: 'text',
  studentId: 'text',
  feeStructureId: 'text',
  number: 'text',
  issuedAt: 'timestamp',
  dueDate: 'date',
  amount: 'numeric',
  status: '"InvoiceStatus"',
});

export const paymentTable = defineTable<Prisma.PaymentCreateManyInput>()('Payment', {
  id: 'text',
  invoiceId: 'text',
  amount: 'numeric',
  paidAt: 'timestamp',
  method: '"PaymentMethod"',
  reference: 'text',
  gatewayResponse: 'jsonb',
});

export const libraryBookTable = defineTable<Prisma.LibraryBookCreateManyInput>()('LibraryBook', {
  schoolId: 'text',
  isbn: 'text',
  title: 'text',
  author: 'text',
  publishedYear: 'int',
  copies: 'int',
  tags: 'text[]',
  price: 'numeric',
});

export const bookLoanTable = defineTable<Prisma.BookLoanCreateManyInput>()('BookLoan', {
  bookId: 'int',
  studentId: 'text',
  loanedAt: 'timestamp',
  dueAt: 'timestamp',
  returnedAt: 'timestamp',
  fine: 'numeric',
});

export const transportRouteTable = defineTable<Prisma.TransportRouteCreateManyInput>()('TransportRoute', {
  id: 'text',
  schoolId: 'text',
  name: 'text',
  vehicleNumber: 'text',
  driverName: 'text',
  capacity: 'int',
  monthlyFee: 'numeric',
});

export const transportStopTable = defineTable<Prisma.TransportStopCreateManyInput>()('TransportStop', {
  routeId: 'text',
  sequence: 'int',
  name: 'text',
  latitude: 'float8',
  longitude: 'float8',
  pickupAt: 'text',
});

export const studentTransportTable = defineTable<Prisma.StudentTransportCreateManyInput>()('StudentTransport', {
  studentId: 'text',
  stopId: 'int',
});

export const announcementTable = defineTable<Prisma.AnnouncementCreateManyInput>()('Announcement', {
  id: 'text',
  schoolId: 'text',
  authorId: 'text',
  title: 'text',
  body: 'text',
  audience: '"Role"[]',
  pinned: 'boolean',
  attachments: 'jsonb',
  publishedAt: 'timestamp',
  createdAt: 'timestamp',
});

export const documentTable = defineTable<Prisma.DocumentCreateManyInput>()('Document', {
  id: 'text',
  schoolId: 'text',
  studentId: 'text',
  title: 'text',
  mimeType: 'text',
  sizeBytes: 'bigint',
  sha256: 'text',
  content: 'bytea',
  uploadedAt: 'timestamp',
});

/** The row type of a table declared above. */
export type TRowOf<TTableDef> = TTableDef extends TTable<infer TRow> ? TRow : never;
