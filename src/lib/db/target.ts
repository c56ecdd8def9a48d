import type { TEnv } from '@/lib/env';

/**
 * Where the ERP's data lives. Production runs on PostgreSQL; a fresh clone
 * with no `DATABASE_URL` runs on embedded PostgreSQL (PGlite) in `DATA_DIR`.
 * Tests also use an in-memory PGlite.
 */
export type TDatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string } | { kind: 'pglite-memory' };

export function databaseTargetFromEnv(env: TEnv): TDatabaseTarget {
  if (env.DATABASE_URL) return { kind: 'postgres', url: env.DATABASE_URL };
  return { kind: 'pglite', dataDir: env.DATA_DIR };
}

/** A human-readable name of the target that never includes a password. */
export function describeTarget(target: TDatabaseTarget): string {
  switch (target.kind) {
    case 'postgres': {
      const url = new URL(target.url);
      return `PostgreSQL ${url.hostname}:${url.port || '5432'}${url.pathname}`;
    }
    case 'pglite':
      return `embedded PostgreSQL in ${target.dataDir}`;
    case 'pglite-memory':
      return 'in-memory embedded PostgreSQL';
  }
}
