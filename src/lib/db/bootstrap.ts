import { DEMO_ACCOUNTS, DEMO_PASSWORD, isDatabaseSeeded, seedDatabase, type TSeedReport } from '@/lib/seed';
import type { TDb } from './client';
import { applyMigrations } from './migrate';
import { describeTarget } from './target';

/** How `bootstrapDatabase` behaves and where it reports. */
export interface TBootstrapOptions {
  /** Seed the demo school (scale 1) when the database holds no school yet. */
  seedIfEmpty: boolean;
  log: (message: string) => void;
}

/** What one start-up did to the database. */
export interface TBootstrapReport {
  appliedMigrations: string[];
  /** The seed report, or null when nothing was seeded. */
  seeded: TSeedReport | null;
}

/**
 * Brings the database to the current schema and, on request, fills an empty
 * one with demo data. Runs on every start, so it does nothing on a database
 * that is already migrated and has data.
 */
export async function bootstrapDatabase(db: TDb, options: TBootstrapOptions): Promise<TBootstrapReport> {
  // Each step is announced before it runs: on a first start they take seconds, and silence reads as a hang.
  options.log(`Migrating the database (${describeTarget(db.database.target)})...`);
  const appliedMigrations = await applyMigrations(db.database.adapterFactory);
  options.log(appliedMigrations.length ? `Applied ${appliedMigrations.length} migration(s).` : 'The schema is up to date.');
  if (!options.seedIfEmpty || (await isDatabaseSeeded(db.prisma))) return { appliedMigrations, seeded: null };

  options.log('Seeding demo data (first start only)...');
  const seeded = await seedDatabase(db.prisma, { scale: 1 });
  options.log(
    `Seeded ${seeded.schools} demo school(s), ${seeded.totalRows} rows in ${seeded.durationMs} ms. Demo logins, password ${DEMO_PASSWORD}:`,
  );
  for (const account of DEMO_ACCOUNTS) options.log(`  ${account.email.padEnd(24)} ${account.description}`);
  return { appliedMigrations, seeded };
}
