import type { PrismaClient, Role } from '@/generated/prisma/client';
import { hashPassword } from '@/lib/auth/password';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts';
import { isDatabaseSeeded, SEEDED_MODELS } from './models';
import { createRandom, DEFAULT_SEED } from './random';
import { seedSchool } from './seed-school';
import type { TSeedPasswords } from './users';

export { DEMO_ACCOUNTS, DEMO_PASSWORD, type TDemoAccount } from './demo-accounts';
export { deleteErpData, isDatabaseSeeded, SEEDED_MODELS } from './models';
export { DEFAULT_SEED } from './random';

/** Reported after each school is committed. */
export interface TSeedProgress {
  /** Schools finished so far. */
  school: number;
  schools: number;
  /** Rows written so far. */
  rows: number;
}

/** Options of `seedDatabase`. */
export interface TSeedOptions {
  /** Number of schools. */
  scale: number;
  /** PRNG seed; the same seed gives the same data. Defaults to `DEFAULT_SEED`. */
  seed?: number;
  /** Enrolled students per school (default 500); tests use fewer. */
  studentsPerSchool?: number;
  onProgress?: (progress: TSeedProgress) => void;
}

/** What a seed wrote and how fast. */
export interface TSeedReport {
  schools: number;
  /** Rows written per model, for every model the seed fills. */
  rowsPerModel: Record<string, number>;
  totalRows: number;
  durationMs: number;
  rowsPerSecond: number;
}

/** Enrolled students per school unless a test asks for fewer. */
export const DEFAULT_STUDENTS_PER_SCHOOL = 500;
// Generous: a school takes about a second, but a busy CI machine may be far slower.
const SCHOOL_TRANSACTION_TIMEOUT_MS = 15 * 60_000;

async function seedPasswords(): Promise<TSeedPasswords> {
  const roles = [...new Set(DEMO_ACCOUNTS.map((account) => account.role))];
  const [shared, ...demo] = await Promise.all([hashPassword(DEMO_PASSWORD), ...roles.map(() => hashPassword(DEMO_PASSWORD))]);
  return { shared: shared as string, demo: Object.fromEntries(roles.map((role, i) => [role, demo[i] as string])) as Record<Role, string> };
}

function validate(options: TSeedOptions): Required<Pick<TSeedOptions, 'scale' | 'seed' | 'studentsPerSchool'>> {
  const { scale, seed = DEFAULT_SEED, studentsPerSchool = DEFAULT_STUDENTS_PER_SCHOOL } = options;
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`scale must be a positive integer, got ${scale}`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new RangeError(`seed must be an integer from 0 to 4294967295, got ${seed}`);
  // Fewer students would leave grades without anyone old enough to hold the demo student account.
  if (!Number.isInteger(studentsPerSchool) || studentsPerSchool < 30)
    throw new RangeError(`studentsPerSchool must be an integer of at least 30, got ${studentsPerSchool}`);
  return { scale, seed, studentsPerSchool };
}

/**
 * Fills an empty, migrated database with `scale` schools of realistic data
 * (about 40,000 rows per school of 500 students), school by school, each in
 * its own transaction: if the seed fails, the schools already written are
 * complete and the one in progress is absent. Refuses a database that
 * already has schools (see `deleteErpData`).
 */
export async function seedDatabase(prisma: PrismaClient, options: TSeedOptions): Promise<TSeedReport> {
  const { scale, seed, studentsPerSchool } = validate(options);
  if (await isDatabaseSeeded(prisma))
    throw new Error('The database already has schools; delete the ERP data first (npm run db:seed -- --reset).');
  const started = performance.now();
  const passwords = await seedPasswords();
  const random = createRandom(seed);
  const takenEmails = new Set<string>();
  const totals = new Map<string, number>();
  let rows = 0;
  for (let index = 0; index < scale; index++) {
    const counts = await prisma.$transaction(
      (tx) => seedSchool(tx, { random: random.fork(`school:${index}`), index, studentsPerSchool, passwords, takenEmails }),
      { maxWait: 60_000, timeout: SCHOOL_TRANSACTION_TIMEOUT_MS },
    );
    for (const [model, count] of counts) {
      totals.set(model, (totals.get(model) ?? 0) + count);
      rows += count;
    }
    options.onProgress?.({ school: index + 1, schools: scale, rows });
  }
  const durationMs = Math.round(performance.now() - started);
  return {
    schools: scale,
    rowsPerModel: Object.fromEntries(SEEDED_MODELS.map((model) => [model, totals.get(model) ?? 0])),
    totalRows: rows,
    durationMs,
    rowsPerSecond: Math.round(rows / Math.max(durationMs / 1000, 0.001)),
  };
}
