import { addDays, atTime, daysBetween, SEEDED_TODAY } from './calendar';
import type { TRandom } from './random';
import type { TSchoolContext } from './school-context';
import type { TEnrolledStudent } from './students';
import { SUBJECTS } from './subjects';
import type { bookLoanTable, libraryBookTable, TRowOf } from './tables';

type TBookRow = TRowOf<typeof libraryBookTable>;
type TLoanRow = TRowOf<typeof bookLoanTable>;

// Well-known books for young readers: [title, author, first published, tags].
const STORYBOOKS: readonly (readonly [string, string, number, readonly string[]])[] = [
  ['Alice’s Adventures in Wonderland', 'Lewis Carroll', 1865, ['fiction', 'classic', 'fantasy']],
  ['The Secret Garden', 'Frances Hodgson Burnett', 1911, ['fiction', 'classic']],
  ['Treasure Island', 'Robert Louis Stevenson', 1883, ['fiction', 'adventure', 'classic']],
  ['The Jungle Book', 'Rudyard Kipling', 1894, ['fiction', 'classic', 'animals']],
  ['Heidi', 'Johanna Spyri', 1881, ['fiction', 'classic', 'translated']],
  ['Anne of Green Gables', 'L. M. Montgomery', 1908, ['fiction', 'classic']],
  ['Little Women', 'Louisa May Alcott', 1868, ['fiction', 'classic']],
  ['The Wind in the Willows', 'Kenneth Grahame', 1908, ['fiction', 'classic', 'animals']],
  ['Black Beauty', 'Anna Sewell', 1877, ['fiction', 'classic', 'animals']],
  ['Peter Pan', 'J. M. Barrie', 1911, ['fiction', 'classic', 'fantasy']],
  ['The Little Prince', 'Antoine de Saint-Exupéry', 1943, ['fiction', 'translated', 'classic']],
  ['Pippi Longstocking', 'Astrid Lindgren', 1945, ['fiction', 'translated']],
  ['Emil and the Detectives', 'Erich Kästner', 1929, ['fiction', 'translated', 'mystery']],
  ['Things Fall Apart', 'Chinua Achebe', 1958, ['fiction', 'classic', 'africa']],
  ['The Adventures of Tom Sawyer', 'Mark Twain', 1876, ['fiction', 'classic', 'adventure']],
  ['Twenty Thousand Leagues Under the Seas', 'Jules Verne', 1870, ['fiction', 'translated', 'science-fiction']],
  ['Around the World in Eighty Days', 'Jules Verne', 1872, ['fiction', 'translated', 'adventure']],
  ['The Call of the Wild', 'Jack London', 1903, ['fiction', 'classic', 'animals']],
  ['A Little Princess', 'Frances Hodgson Burnett', 1905, ['fiction', 'classic']],
  ['The Railway Children', 'E. Nesbit', 1906, ['fiction', 'classic']],
  ['Five Children and It', 'E. Nesbit', 1902, ['fiction', 'fantasy']],
  ['Nils Holgerssons underbara resa', 'Selma Lagerlöf', 1906, ['fiction', 'swedish', 'classic']],
  ['Le Petit Nicolas', 'René Goscinny', 1959, ['fiction', 'french', 'humour']],
  ['Momo', 'Michael Ende', 1973, ['fiction', 'german', 'fantasy']],
  ['Mr. Popper’s Penguins', 'Richard and Florence Atwater', 1938, ['fiction', 'humour', 'animals']],
  ['The Phantom Tollbooth', 'Norton Juster', 1961, ['fiction', 'fantasy']],
  ['Charlotte’s Web', 'E. B. White', 1952, ['fiction', 'animals']],
  ['Matilda', 'Roald Dahl', 1988, ['fiction', 'humour']],
  ['The Diary of a Young Girl', 'Anne Frank', 1947, ['non-fiction', 'history', 'translated']],
  ['I Am Malala', 'Malala Yousafzai', 2013, ['non-fiction', 'biography']],
  ['Hidden Figures (Young Readers’ Edition)', 'Margot Lee Shetterly', 2016, ['non-fiction', 'science', 'biography']],
  ['The Boy Who Harnessed the Wind', 'William Kamkwamba', 2009, ['non-fiction', 'science', 'africa']],
  ['Wonder', 'R. J. Palacio', 2012, ['fiction', 'contemporary']],
  ['Holes', 'Louis Sachar', 1998, ['fiction', 'contemporary', 'mystery']],
  ['Journey to the River Sea', 'Eva Ibbotson', 2001, ['fiction', 'adventure']],
  ['Cuentos de la selva', 'Horacio Quiroga', 1918, ['fiction', 'spanish', 'animals']],
];
const PUBLISHERS = ['Northbridge Education', 'Atlas Learning', 'Blue Heron Press', 'Meridian Schoolbooks'];

/** A valid ISBN-13: 978 prefix, random body, computed check digit. */
function isbn13(random: TRandom): string {
  const digits = [9, 7, 8, ...Array.from({ length: 9 }, () => random.int(0, 9))];
  const sum = digits.reduce((total, digit, i) => total + digit * (i % 2 === 0 ? 1 : 3), 0);
  return [...digits, (10 - (sum % 10)) % 10].join('');
}

export interface TLibraryPlan {
  books: TBookRow[];
}

/** The catalogue: storybooks in a few copies, and a class set of textbooks per subject and grade. */
export function planLibrary(context: TSchoolContext, grades: number): TLibraryPlan {
  const random = context.random('library');
  const isbns = new Set<string>();
  const uniqueIsbn = () => {
    let isbn = isbn13(random);
    while (isbns.has(isbn)) isbn = isbn13(random);
    isbns.add(isbn);
    return isbn;
  };
  const books: TBookRow[] = STORYBOOKS.map(([title, author, year, tags]) => ({
    schoolId: context.schoolId,
    isbn: uniqueIsbn(),
    title,
    author,
    // Donated copies of old editions sometimes lack a publication year in the catalogue.
    publishedYear: random.chance(0.93) ? year : null,
    copies: random.int(1, 4),
    tags: random.chance(0.9) ? [...tags] : [],
    price: random.chance(0.85) ? context.money(random.int(6, 18) + 0.99) : null,
  }));
  for (const subject of SUBJECTS.filter((candidate) => candidate.isCore)) {
    for (let grade = 1; grade <= grades; grade++) {
      books.push({
        schoolId: context.schoolId,
        isbn: uniqueIsbn(),
        title: `${subject.name} ${grade}: Student Book`,
        author: random.pick(PUBLISHERS),
        publishedYear: random.int(2016, 2024),
        copies: random.int(24, 32),
        tags: ['textbook', subject.code.toLowerCase(), `grade-${grade}`],
        price: context.money(random.int(18, 34) + 0.5),
      });
    }
  }
  return { books };
}

/**
 * Loans over the seeded term, two weeks each: most are back, some late with
 * a fine, and the recent ones still out. Needs the database ids of the books.
 */
export function loanRows(
  context: TSchoolContext,
  enrolled: readonly TEnrolledStudent[],
  bookIds: readonly number[],
  attendanceDays: readonly Date[],
): TLoanRow[] {
  const random = context.random('library-loans');
  const loans: TLoanRow[] = [];
  const finePerDay = 0.2;
  for (const { row } of enrolled) {
    const count = random.weighted([[0, 45] as const, [1, 35] as const, [2, 15] as const, [3, 5] as const]);
    for (let i = 0; i < count; i++) {
      const bookId = random.pick(bookIds);
      const loanedAt = atTime(random.pick(attendanceDays), random.int(10, 15), random.int(0, 59));
      const dueAt = atTime(addDays(loanedAt, 14), 16);
      const daysOut = daysBetween(loanedAt, SEEDED_TODAY);
      const returned = daysOut > 3 && random.chance(daysOut > 14 ? 0.9 : 0.5);
      const keptDays = returned ? random.weighted([[random.int(2, 14), 80] as const, [random.int(15, 35), 20] as const]) : 0;
      const returnedAt = returned ? atTime(addDays(loanedAt, Math.min(keptDays, daysOut)), random.int(8, 15), random.int(0, 59)) : null;
      const daysLate = returnedAt ? daysBetween(dueAt, returnedAt) : 0;
      loans.push({
        bookId,
        studentId: row.id,
        loanedAt,
        dueAt,
        returnedAt,
        // Late returns are fined per day, though the librarian waives some.
        fine: daysLate > 0 && random.chance(0.8) ? context.money(daysLate * finePerDay) : null,
      });
    }
  }
  return loans;
}
