import { PrismaClient } from '@/generated/prisma/client';
import { loadEnv } from '@/lib/env';
import { openDatabase, type TOpenedDatabase } from './adapter';
import { databaseTargetFromEnv, type TDatabaseTarget } from './target';

/** A Prisma client together with the database it was opened on. */
export interface TDb {
  prisma: PrismaClient;
  database: TOpenedDatabase;
  /** Disconnects Prisma and releases the database (and the embedded data directory). */
  close(): Promise<void>;
}

export async function createDb(target: TDatabaseTarget): Promise<TDb> {
  const database = await openDatabase(target);
  const prisma = new PrismaClient({ adapter: database.adapterFactory });
  return {
    prisma,
    database,
    close: async () => {
      await prisma.$disconnect();
      await database.close();
    },
  };
}

const globalForDb = globalThis as unknown as { erpDb?: Promise<TDb> };

/**
 * The process-wide database of the app and the CLI, configured from the
 * environment. Kept on `globalThis` so Next's dev reloads reuse it instead of
 * opening the embedded data directory twice.
 */
export function getDb(): Promise<TDb> {
  if (!globalForDb.erpDb) {
    globalForDb.erpDb = createDb(databaseTargetFromEnv(loadEnv())).catch((error: unknown) => {
      globalForDb.erpDb = undefined;
      throw error;
    });
  }
  return globalForDb.erpDb;
}
