import { Prisma, type Role } from '@/generated/prisma/client';
import { addDays, atTime, utcDate } from './calendar';
import type { TSchoolContext } from './school-context';
import { PERIOD_TIMES } from './subjects';
import type { announcementTable, schoolSettingTable, TRowOf } from './tables';
import type { TUserRow } from './users';

type TSettingRow = TRowOf<typeof schoolSettingTable>;
type TAnnouncementRow = TRowOf<typeof announcementTable>;
type TJson = Prisma.InputJsonValue | typeof Prisma.JsonNull;

/**
 * The school's settings. `previousValue` is database NULL until a setting is
 * first changed; a few have been changed. One setting's value is JSON `null`
 * (an SMS provider not configured yet), which is not the same as a missing row.
 */
export function settingRows(context: TSchoolContext): TSettingRow[] {
  const random = context.random('settings');
  const settings: [string, TJson, TJson | null][] = [
    ['general.locale', { language: random.pick(['en', 'en', 'fr', 'es', 'pl']), dateFormat: 'dd/MM/yyyy', weekStartsOn: 1 }, null],
    ['fees.currency', context.city.currency, null],
    ['fees.lateFeeGraceDays', 7, random.chance(0.5) ? 14 : null],
    ['grading.scale', { A: 90, B: 80, C: 70, D: 60, E: 50 }, random.chance(0.4) ? { A: 85, B: 70, C: 55, D: 40 } : null],
    ['attendance.lateAfterMinutes', 10, random.chance(0.5) ? 15 : null],
    ['attendance.notifyGuardiansAfterAbsences', 3, null],
    ['library.loanPeriodDays', 14, random.chance(0.3) ? 21 : null],
    ['library.finePerDay', context.money(0.2), null],
    ['timetable.periods', PERIOD_TIMES.map(([start, end]) => ({ start, end })), null],
    [
      'notifications.channels',
      { email: true, sms: random.chance(0.5), push: false },
      random.chance(0.3) ? { email: true, sms: false, push: false } : null,
    ],
    ['notifications.smsProvider', Prisma.JsonNull, null],
    [
      'branding',
      {
        primaryColor: random.pick(['#1f6feb', '#2e7d32', '#8e24aa', '#c62828']),
        logoUrl: null,
        motto: random.pick(['Learning together', 'Curiosity, kindness, courage', 'Ad astra per aspera', 'Every child, every day']),
      },
      null,
    ],
    ['features.parentPortal', true, null],
  ];
  return settings.map(([key, value, previousValue]) => ({
    schoolId: context.schoolId,
    key,
    value,
    previousValue: previousValue ?? Prisma.DbNull,
    updatedAt:
      previousValue === null
        ? atTime(utcDate('2025-08-11'), 10, random.int(0, 59))
        : atTime(utcDate(`2025-10-${String(random.int(1, 30)).padStart(2, '0')}`), random.int(8, 17)),
  }));
}

const EVERYONE: Role[] = [];
// [title, body, audience (empty: everyone), days after term start]
const ANNOUNCEMENTS: readonly (readonly [string, string, Role[], number])[] = [
  [
    'Welcome back!',
    'We are delighted to welcome all families to the 2025/26 school year. Timetables are now available in the portal.',
    EVERYONE,
    -3,
  ],
  ['Uniform reminder', 'Please label every item of uniform with your child’s name. Lost property is by the main entrance.', ['PARENT'], 4],
  [
    'Bus timetable for the new year',
    'Routes and pick-up times have changed slightly; check your stop in the transport section.',
    ['PARENT', 'STUDENT'],
    1,
  ],
  [
    'Staff meeting on Thursday',
    'All teaching staff: short meeting in the library at 15:15 about the midterm timetable.',
    ['TEACHER', 'ADMIN'],
    23,
  ],
  [
    'Autumn midterm timetable',
    'Midterm exams start on Monday 13 October. The timetable for each grade is attached.',
    ['STUDENT', 'PARENT', 'TEACHER'],
    30,
  ],
  [
    'Flu vaccination consent',
    'The school nurse will offer flu vaccinations in November. Please return the consent form by 24 October.',
    ['PARENT'],
    38,
  ],
  ['Library week', 'Bring a book you love and swap it with a friend. Late fines are waived all week!', ['STUDENT', 'LIBRARIAN'], 45],
  [
    'Term 1 fees overdue',
    'Families with outstanding Autumn term invoices are asked to settle them or contact the bursar.',
    ['PARENT', 'ACCOUNTANT'],
    50,
  ],
  [
    'Parent–teacher conferences',
    'Book a ten-minute slot with each of your child’s teachers for 20 and 21 November.',
    ['PARENT', 'TEACHER'],
    58,
  ],
  ['Sports day results', 'Congratulations to everyone who took part, and thank you to the parents who volunteered.', EVERYONE, 62],
  ['Final exam revision sessions', 'Revision classes run after school every day next week in rooms B7.01 to B9.02.', ['STUDENT'], 70],
  [
    'Winter concert auditions',
    'Auditions for the winter concert are open to all grades. Sign up with the music department.',
    ['STUDENT', 'TEACHER'],
    74,
  ],
  [
    'Next term’s invoices',
    'Winter term invoices have been issued. Payment by card or mobile money is available in the portal.',
    ['PARENT', 'ACCOUNTANT'],
    77,
  ],
  [
    'Portal maintenance on Saturday',
    'The portal will be unavailable on Saturday from 22:00 to 23:30 for an upgrade.',
    ['ADMIN', 'TEACHER', 'ACCOUNTANT', 'LIBRARIAN', 'STUDENT', 'PARENT'],
    79,
  ],
];

/**
 * Announcements of the term. Attachments are a JSON array of file
 * descriptions, an empty array, or database NULL when there are none; the
 * last two announcements are unpublished drafts.
 */
export function announcementRows(context: TSchoolContext, users: readonly TUserRow[]): TAnnouncementRow[] {
  const random = context.random('announcements');
  const authors = users.filter((user) => user.schoolId === context.schoolId && (user.role === 'ADMIN' || user.role === 'TEACHER'));
  const start = utcDate('2025-09-01');
  return ANNOUNCEMENTS.map(([title, body, audience, day], i) => {
    const createdAt = atTime(addDays(start, day - 1), random.int(8, 16), random.int(0, 59));
    const draft = i >= ANNOUNCEMENTS.length - 2;
    const attachmentCount = random.weighted([[0, 55] as const, [1, 30] as const, [2, 15] as const]);
    return {
      id: context.id(),
      schoolId: context.schoolId,
      // Messages sent by the system itself have no author.
      authorId: random.chance(0.9) ? random.pick(authors).id : null,
      title,
      body,
      audience,
      pinned: random.chance(0.15),
      attachments:
        attachmentCount === 0
          ? random.chance(0.2)
            ? []
            : Prisma.DbNull
          : Array.from({ length: attachmentCount }, (_, n) => ({
              fileName: `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${n + 1}.pdf`,
              mimeType: 'application/pdf',
              sizeBytes: random.int(40_000, 900_000),
              url: `https://files.${context.domain}/announcements/${i + 1}/${n + 1}`,
            })),
      publishedAt: draft ? null : addDays(createdAt, random.chance(0.7) ? 0 : 1),
      createdAt,
    };
  });
}
