import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { claimDataDir } from './pglite-holder';
import type { TDatabaseTarget } from './target';

/**
 * An opened database: the driver-adapter factory Prisma (and the migration
 * engine) use, and a `close()` that releases it. This is the only module that
 * knows which engine is behind the target.
 */
export interface TOpenedDatabase {
  target: TDatabaseTarget;
  adapterFactory: SqlMigrationAwareDriverAdapterFactory;
  /**
   * On a PostgreSQL server, a new client on a connection of its own, outside
   * every pool (not yet connected), for state that lives exactly as long as
   * one session, such as the backup module's advisory lock. Null for the
   * embedded database, which is held by one process only.
   */
  dedicatedClient: ((applicationName: string) => pg.Client) | null;
  /**
   * The embedded database itself (null on a PostgreSQL server), for what its
   * driver adapter cannot do: COPY to and from a Blob, the bulk path of
   * backups and restores on PGlite.
   */
  embedded: PGlite | null;
  close(): Promise<void>;
}

/**
 * Connection settings shared by the pools and the dedicated clients. A
 * database that restarts, fails over or ends a session must turn into an
 * error within seconds, never into a wait: a connection is given up after
 * 15 s, and TCP keep-alive notices a server that vanished without closing
 * the connection (the default would wait for hours).
 */
const CONNECTION_SETTINGS = {
  connectionTimeoutMillis: 15_000,
  keepAlive: true,
  keepAliveInitialDelayMillis: 10_000,
} as const;

export async function openDatabase(target: TDatabaseTarget): Promise<TOpenedDatabase> {
  if (target.kind === 'postgres') {
    // `application_name` names the ERP's sessions in pg_stat_activity; the backup engine renames its own.
    const adapterFactory = new PrismaPg({ connectionString: target.url, max: 10, application_name: 'erp', ...CONNECTION_SETTINGS });
    return {
      target,
      adapterFactory,
      dedicatedClient: (applicationName) =>
        new pg.Client({ connectionString: target.url, application_name: applicationName, ...CONNECTION_SETTINGS }),
      embedded: null,
      close: async () => {},
    };
  }
  const release = target.kind === 'pglite' ? claimDataDir(target.dataDir) : () => {};
  try {
    const pglite = new PGlite(target.kind === 'pglite' ? target.dataDir : 'memory://');
    await pglite.waitReady;
    return {
      target,
      adapterFactory: new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory,
      dedicatedClient: null,
      embedded: pglite,
      close: async () => {
        await pglite.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
