import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
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
   * Whether other processes may use this database at the same time (a
   * PostgreSQL server). The embedded database is held by one process only.
   */
  sharedAcrossProcesses: boolean;
  close(): Promise<void>;
}

export async function openDatabase(target: TDatabaseTarget): Promise<TOpenedDatabase> {
  if (target.kind === 'postgres') {
    const adapterFactory = new PrismaPg({ connectionString: target.url, max: 10 });
    return { target, adapterFactory, sharedAcrossProcesses: true, close: async () => {} };
  }
  const release = target.kind === 'pglite' ? claimDataDir(target.dataDir) : () => {};
  try {
    const pglite = new PGlite(target.kind === 'pglite' ? target.dataDir : 'memory://');
    await pglite.waitReady;
    return {
      target,
      adapterFactory: new PrismaPGlite(pglite) as unknown as SqlMigrationAwareDriverAdapterFactory,
      sharedAcrossProcesses: false,
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
