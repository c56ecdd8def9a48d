import { atTime, utcDate } from './calendar';
import { asciiSlug } from './names';
import { CITIES, phoneNumber, schoolName, streetAddress, type TCity } from './places';
import type { TRandom } from './random';
import type { schoolTable, TRowOf } from './tables';

/** What every generator of one school needs: its identity and its random streams. */
export interface TSchoolContext {
  /** Zero-based position of the school in the seed; the first school holds the demo accounts. */
  index: number;
  schoolId: string;
  city: TCity;
  /** E-mail domain of the school's staff and students. */
  domain: string;
  studentsPerSchool: number;
  /** A stream per part of the data (see `TRandom.fork`). */
  random(part: string): TRandom;
  /** A new cuid-like id. */
  id(): string;
  /** Converts an amount in euros to the school's currency, as a decimal string. */
  money(euros: number): string;
  /** The user e-mail addresses taken so far in this seed, across schools: `User.email` is unique. */
  takenEmails: Set<string>;
}

export interface TSchoolPlan {
  context: TSchoolContext;
  school: TRowOf<typeof schoolTable>;
}

/** Creates the context and the School row of the school at `index`. */
export function planSchool(random: TRandom, index: number, studentsPerSchool: number, takenEmails: Set<string>): TSchoolPlan {
  const basics = random.fork('basics');
  const ids = random.fork('ids');
  // Schools cycle through the cities, so every scale spreads over many countries.
  const city = CITIES[index % CITIES.length] as TCity;
  const name = schoolName(basics, city, index);
  const code = `SCH${String(index + 1).padStart(3, '0')}`;
  const domain = `${asciiSlug(name.split(',')[0] ?? name)}-${code.toLowerCase()}.example.org`;
  const context: TSchoolContext = {
    index,
    schoolId: ids.id(),
    city,
    domain,
    studentsPerSchool,
    random: (part) => random.fork(part),
    id: () => ids.id(),
    money: (euros) => (Math.round(euros * city.perEuro * 100) / 100).toFixed(2),
    takenEmails,
  };
  const foundedYear = basics.int(1952, 2012);
  return {
    context,
    school: {
      id: context.schoolId,
      code,
      name,
      address: streetAddress(basics, city),
      phone: phoneNumber(basics, city),
      email: basics.chance(0.9) ? `office@${domain}` : null,
      timezone: city.timezone,
      foundedOn: basics.chance(0.85) ? utcDate(`${foundedYear}-0${basics.int(1, 9)}-${String(basics.int(1, 28)).padStart(2, '0')}`) : null,
      isActive: true,
      createdAt: atTime(utcDate('2025-06-02'), 9, index),
    },
  };
}

/** Returns `local@domain`, or `local2@domain`, `local3@domain`... when taken, and marks it taken. */
export function uniqueEmail(context: TSchoolContext, local: string, domain: string): string {
  for (let n = 1; ; n++) {
    const email = `${local}${n === 1 ? '' : n}@${domain}`;
    if (!context.takenEmails.has(email)) {
      context.takenEmails.add(email);
      return email;
    }
  }
}
