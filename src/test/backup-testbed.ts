import { afterAll, beforeAll } from 'vitest';
import { createTestBackupDeps } from './backup-deps';
import { insertEdgeValues } from './edge-values';
import { createTestDb, type TTestDb } from './test-db';

export interface TBackupTestbed {
  db: TTestDb;
  deps: ReturnType<typeof createTestBackupDeps>;
}

/**
 * Registers the usual set-up of a backup test file: a fresh database holding
 * the edge-value school, and backup dependencies over it; all removed after
 * the file. The fields are filled in before the first test runs.
 */
export function useBackupTestbed(): TBackupTestbed {
  const bed = {} as TBackupTestbed;
  beforeAll(async () => {
    bed.db = await createTestDb();
    bed.deps = createTestBackupDeps(bed.db);
    await insertEdgeValues(bed.db.prisma);
  });
  afterAll(async () => {
    bed.deps.cleanup();
    await bed.db.close();
  });
  return bed;
}
