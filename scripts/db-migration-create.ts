import { createMigration } from '@/lib/db/migrate';

// `npm run db:migration:create -- <name>`: writes prisma/migrations/<ts>_<name>
// from the schema changes not yet in the migrations folder. The configured
// database is not touched; run `npm run db:migrate` to apply the new migration.
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/i.test(name)) {
  console.error('Usage: npm run db:migration:create -- <name>   (letters, digits and _ only)');
  process.exit(2);
}
const created = await createMigration(name);
console.log(created ? `Created prisma/migrations/${created}/migration.sql` : 'The schema has no changes: no migration written.');
// Pooled connections would otherwise keep the process alive for their idle timeout.
process.exit(0);
