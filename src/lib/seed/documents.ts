import { createHash } from 'node:crypto';
import { ACADEMIC_YEAR, asDate, atTime, isoDate, utcDate } from './calendar';
import { encodePng } from './png';
import type { TRandom } from './random';
import type { TSchoolContext } from './school-context';
import type { TStructurePlan } from './structure';
import type { TEnrolledStudent, TGuardianRow } from './students';
import type { documentTable, schoolTable, TRowOf } from './tables';

type TDocumentRow = TRowOf<typeof documentTable>;

interface TFile {
  title: string;
  mimeType: string;
  content: Uint8Array<ArrayBuffer>;
}

function utf8(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(Buffer.from(text, 'utf8'));
}

function handbook(school: TRowOf<typeof schoolTable>, structure: TStructurePlan): TFile {
  const terms = structure.terms.map((term) => `- **${term.name}**: ${isoDate(asDate(term.startDate))} to ${isoDate(asDate(term.endDate))}`);
  const text = [
    `# ${school.name}: Parent handbook ${ACADEMIC_YEAR.name}`,
    '',
    `Address: ${school.address}`,
    `Phone: ${school.phone ?? 'see the website'}`,
    '',
    '## Terms',
    ...terms,
    '',
    '## The school day',
    'Registration is at 08:25; lessons run from 08:30 to 14:55. Students arriving after 08:40 are marked late.',
    '',
    '## Absence',
    'Please tell the school office before 09:00 on every day of absence. Absences without a reason are followed up by the homeroom teacher.',
    '',
  ].join('\n');
  return { title: `Parent handbook ${ACADEMIC_YEAR.name}`, mimeType: 'text/markdown', content: utf8(text) };
}

function termDates(school: TRowOf<typeof schoolTable>, structure: TStructurePlan): TFile {
  const compact = (date: Date) => isoDate(date).replaceAll('-', '');
  const events = [
    ...structure.terms.map((term) => [term.name, asDate(term.startDate), asDate(term.endDate)] as const),
    ...structure.holidays.map((holiday) => [holiday.name, asDate(holiday.date), asDate(holiday.date)] as const),
  ].map(([summary, start, end], i) =>
    [
      'BEGIN:VEVENT',
      `UID:${school.code}-${i}@${school.code.toLowerCase()}.example.org`,
      'DTSTAMP:20250811T090000Z',
      `DTSTART;VALUE=DATE:${compact(start)}`,
      `DTEND;VALUE=DATE:${compact(new Date(end.getTime() + 86_400_000))}`,
      `SUMMARY:${summary}`,
      'END:VEVENT',
    ].join('\r\n'),
  );
  const text = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:-//${school.name}//School ERP//EN`, ...events, 'END:VCALENDAR', ''].join('\r\n');
  return { title: `Term dates ${ACADEMIC_YEAR.name}`, mimeType: 'text/calendar', content: utf8(text) };
}

function consentForm(student: TEnrolledStudent, guardian: TGuardianRow | undefined, signedOn: Date): TFile {
  const text = [
    'MEDICAL CONSENT FORM',
    '',
    `Student: ${student.row.firstName} ${student.row.lastName}`,
    `Date of birth: ${isoDate(asDate(student.row.dateOfBirth))}`,
    `Allergies: ${student.row.allergies.length ? student.row.allergies.join(', ') : 'none known'}`,
    '',
    'I consent to the school seeking emergency medical treatment for my child if I cannot be reached.',
    '',
    `Signed: ${guardian ? `${guardian.firstName} ${guardian.lastName}` : '(guardian)'}    Date: ${isoDate(signedOn)}`,
    '',
  ].join('\n');
  return {
    title: `Medical consent – ${student.row.firstName} ${student.row.lastName}`,
    mimeType: 'text/plain; charset=utf-8',
    content: utf8(text),
  };
}

// A greyscale "scan": paper with lines of text as darker stripes.
function scannedCertificate(random: TRandom, student: TEnrolledStudent): TFile {
  const lines = Array.from({ length: 9 }, () => random.int(18, 54));
  const image = encodePng(64, 48, (x, y) => {
    const line = Math.floor((y - 6) / 4);
    const ink = y >= 6 && (y - 6) % 4 < 2 && line < lines.length && x >= 5 && x < (lines[line] ?? 0);
    const paper = 236 - ((x * 7 + y * 13) % 9);
    const shade = ink ? 70 : paper;
    return [shade, shade, shade - 6];
  });
  return { title: `Birth certificate (scan) – ${student.row.firstName} ${student.row.lastName}`, mimeType: 'image/png', content: image };
}

/**
 * Stored files: the parent handbook and the term-dates calendar of the
 * school, and for some students a signed consent form or a scanned
 * certificate. `sizeBytes` and `sha256` describe the actual content.
 */
export function documentRows(
  context: TSchoolContext,
  school: TRowOf<typeof schoolTable>,
  structure: TStructurePlan,
  enrolled: readonly TEnrolledStudent[],
  primaryGuardianOf: ReadonlyMap<string, TGuardianRow>,
): TDocumentRow[] {
  const random = context.random('documents');
  const row = (file: TFile, studentId: string | null, uploadedAt: Date): TDocumentRow => ({
    id: context.id(),
    schoolId: context.schoolId,
    studentId,
    title: file.title,
    mimeType: file.mimeType,
    sizeBytes: BigInt(file.content.length),
    sha256: createHash('sha256').update(file.content).digest('hex'),
    content: file.content,
    uploadedAt,
  });
  const documents = [handbook(school, structure), termDates(school, structure)].map((file) =>
    row(file, null, atTime(utcDate('2025-08-11'), 9)),
  );
  for (const student of enrolled) {
    if (random.chance(0.12)) {
      const signedOn = utcDate(`2025-09-${String(random.int(1, 19)).padStart(2, '0')}`);
      documents.push(
        row(
          consentForm(student, primaryGuardianOf.get(student.row.id), signedOn),
          student.row.id,
          atTime(signedOn, random.int(9, 16), random.int(0, 59)),
        ),
      );
    }
    if (random.chance(0.04)) {
      documents.push(row(scannedCertificate(random, student), student.row.id, asDate(student.row.createdAt)));
    }
  }
  return documents;
}
