import { defineConfig } from 'prisma/config';

// Only `prisma generate` is run through the Prisma CLI (migrations go through
// scripts/db-migrate.ts, which uses the WebAssembly schema engine), so no
// datasource URL is needed here.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
