import { createDb } from '@/lib/db/client';
import { databaseTargetFromEnv, describeTarget } from '@/lib/db/target';
import { loadEnv } from '@/lib/env';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, deleteErpData, isDatabaseSeeded, seedDatabase, type TSeedReport } from '@/lib/seed';
import { parseSeedArgs, SEED_USAGE } from '@/lib/seed/cli-args';

// `npm run db:seed -- --scale N [--seed S] [--reset]`: fills the configured database with demo schools.

const parsed = parseSeedArgs(process.argv.slice(2));
if (parsed.kind === 'help') {
  console.log(SEED_USAGE);
  process.exit(0);
}
if (parsed.kind === 'error') {
  console.error(`db:seed: ${parsed.message}\n\n${SEED_USAGE}`);
  process.exit(2);
}
const { scale, seed, reset } = parsed.args;

const number = (value: number) => value.toLocaleString('en-US');

function printReport(report: TSeedReport): void {
  const width = Math.max(...Object.keys(report.rowsPerModel).map((model) => model.length));
  console.log('\nRows per model:');
  for (const [model, count] of Object.entries(report.rowsPerModel)) console.log(`  ${model.padEnd(width)}  ${number(count).padStart(10)}`);
  console.log(
    `\nSeeded ${report.schools} school(s): ${number(report.totalRows)} rows in ${(report.durationMs / 1000).toFixed(1)} s (${number(report.rowsPerSecond)} rows/s).`,
  );
  console.log(`\nDemo accounts (password "${DEMO_PASSWORD}"):`);
  for (const account of DEMO_ACCOUNTS) console.log(`  ${account.role.padEnd(12)} ${account.email}`);
}

const target = databaseTargetFromEnv(loadEnv());
let exitCode = 0;
const db = await createDb(target);
try {
  if (reset) {
    await deleteErpData(db.prisma);
    console.log(`Deleted all ERP data in ${describeTarget(target)} (backups and the audit log are kept).`);
  }
  if (!reset && (await isDatabaseSeeded(db.prisma))) {
    console.error(`${describeTarget(target)} already has schools. Run with --reset to replace all ERP data with seeded data.`);
    exitCode = 1;
  } else {
    console.log(`Seeding ${scale} school(s) into ${describeTarget(target)} with seed ${seed}...`);
    const report = await seedDatabase(db.prisma, {
      scale,
      seed,
      onProgress: ({ school, schools, rows }) => console.log(`  school ${school}/${schools} done, ${number(rows)} rows so far`),
    });
    printReport(report);
  }
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`db:seed failed: ${message}`);
  if (/relation "[^"]+" does not exist/.test(message)) console.error('Is the database migrated? Run `npm run db:migrate` first.');
  exitCode = 1;
} finally {
  await db.close();
}
// Pooled connections would otherwise keep the process alive for their idle timeout.
process.exit(exitCode);
