// Runs `prisma generate` offline. The Prisma CLI insists on locating its
// native schema-engine binary before generating, though generate never runs
// it; the binary cannot be downloaded here, so any existing file satisfies the
// check. Migrations use the WebAssembly engine instead (src/lib/db/migrate.ts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fileURLToPath(import.meta.url),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
