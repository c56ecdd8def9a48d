import { openDatabase } from '@/lib/db/adapter';
import { applyMigrations } from '@/lib/db/migrate';
import { databaseTargetFromEnv, describeTarget } from '@/lib/db/target';
import { loadEnv } from '@/lib/env';

// `npm run db:migrate`: applies pending migrations to the configured database.
const target = databaseTargetFromEnv(loadEnv());
const database = await openDatabase(target);
try {
  const applied = await applyMigrations(database.adapterFactory);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s) to ${describeTarget(target)}: ${applied.join(', ')}`
      : `${describeTarget(target)} is up to date.`,
  );
} finally {
  await database.close();
}
// Pooled connections would otherwise keep the process alive for their idle timeout.
process.exit(0);
