import { createDb, type TDb } from '@/lib/db/client';
import type { TDatabaseTarget } from '@/lib/db/target';
import type { TCleanup } from './cleanup';

/**
 * Opens the database for the length of `work` and closes it afterwards (or
 * on cleanup), so a child process can open an embedded data directory next.
 */
export async function withDb<T>(target: TDatabaseTarget, cleanup: TCleanup, work: (db: TDb) => Promise<T>): Promise<T> {
  const db = await createDb(target);
  const close = cleanup.defer('close the database', () => db.close());
  try {
    return await work(db);
  } finally {
    await close();
  }
}
