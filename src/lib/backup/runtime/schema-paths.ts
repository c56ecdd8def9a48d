import fs from 'node:fs';
import path from 'node:path';
import { defaultSchemaPaths, type TSchemaPaths } from '@/lib/db/migrate';

/**
 * Where this installation's Prisma schema and migrations are, for a restore
 * drill to rebuild a backup's schema: under the working directory (the app,
 * npm scripts), else in the installation the running script belongs to
 * (`erp-backup` started from another directory: its script is in
 * `<install>/dist/cli/` or `<install>/src/cli/`).
 */
export function locateSchemaPaths(): TSchemaPaths {
  const script = process.argv[1];
  const starts = [process.cwd(), ...(script ? [path.dirname(realPath(script))] : [])];
  for (const start of starts) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      const candidate = { schemaFile: path.join(dir, 'prisma/schema.prisma'), migrationsDir: path.join(dir, 'prisma/migrations') };
      // Looked up at run time only: the app's server bundle must not trace the whole project for it.
      if (
        fs.existsSync(/* turbopackIgnore: true */ candidate.schemaFile) &&
        fs.existsSync(/* turbopackIgnore: true */ candidate.migrationsDir)
      )
        return candidate;
      if (path.dirname(dir) === dir) break;
    }
  }
  return defaultSchemaPaths;
}

function realPath(file: string): string {
  try {
    return fs.realpathSync(/* turbopackIgnore: true */ file);
  } catch {
    // A script path that cannot be resolved (a REPL, an eval) simply adds no candidate beyond its directory.
    return file;
  }
}
