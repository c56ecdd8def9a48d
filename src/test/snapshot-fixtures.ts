import type { TBackupDeps } from '@/lib/backup/service/deps';
import type { TChunkSizes } from '@/lib/backup/snapshot/chunker';
import { createTestBackupDeps } from './backup-deps';
import { insertEdgeValues } from './edge-values';
import { createTestDb, type TTestDb } from './test-db';

/** Small snapshot chunks (16 / 64 / 256 KiB), so a few thousand rows make dozens of them. */
export const SMALL_CHUNKS: TChunkSizes = { minBytes: 16 << 10, avgBytes: 64 << 10, maxBytes: 256 << 10 };

/**
 * A school's attendance history for the snapshot tests: one register line a
 * day from 1960-01-02 for `days` days, for the student of the edge-value
 * school's first attendance row (insertEdgeValues), about 150 bytes a row,
 * statuses and notes varying.
 */
export async function insertAttendanceHistory(prisma: TTestDb['prisma'], days: number): Promise<void> {
  await prisma.$executeRawUnsafe(`
    INSERT INTO "AttendanceRecord" ("studentId", "sectionId", date, status, "minutesLate", note)
    SELECT e."studentId", e."sectionId", DATE '1960-01-01' + g, (ARRAY['PRESENT','ABSENT','LATE'])[1 + g % 3]::"AttendanceStatus",
           CASE WHEN g % 3 = 2 THEN g % 40 END, 'note ' || md5(g::text)
    FROM generate_series(1, ${Math.floor(days)}) AS g, (SELECT "studentId", "sectionId" FROM "AttendanceRecord" ORDER BY id LIMIT 1) AS e`);
}

/** A fresh test database holding the edge values and `days` of attendance history, with backup deps for small chunks. */
export async function openSnapshotDb(
  days: number,
  overrides: Partial<TBackupDeps> = {},
): Promise<{ db: TTestDb; deps: ReturnType<typeof createTestBackupDeps> }> {
  const db = await createTestDb();
  const deps = createTestBackupDeps(db, { chunkSizes: SMALL_CHUNKS, ...overrides });
  await insertEdgeValues(db.prisma);
  await insertAttendanceHistory(db.prisma, days);
  return { db, deps };
}

/** Closes what openSnapshotDb opened (either may be missing when it failed). */
export async function closeSnapshotDb(db: TTestDb | undefined, deps: { cleanup(): void } | undefined): Promise<void> {
  deps?.cleanup();
  await db?.close();
}
