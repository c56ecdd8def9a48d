import type { TDb } from '@/lib/db/client';
import type { TChunkIndex, TChunkPlace, TIndexedChunk } from '../snapshot/chunk-targets';

/** The chunk index in the `BackupChunk` table (chunk-targets.ts says what it promises). */
export function prismaChunkIndex(prisma: TDb['prisma']): TChunkIndex {
  return {
    async load(keyId) {
      const rows = await prisma.backupChunk.findMany({ where: { keyId } });
      return new Map(
        rows.map((row) => [
          row.id,
          {
            id: row.id,
            keyId: row.keyId,
            storedBytes: row.storedBytes,
            plainBytes: row.plainBytes,
            parentId: row.parentId,
            places: placesOf(row),
          } satisfies TIndexedChunk,
        ]),
      );
    },
    async record(chunks, places) {
      if (chunks.length === 0) return;
      const flags = {
        ...(places.includes('local') ? { storedLocally: true } : {}),
        ...(places.includes('offsite') ? { storedOffsite: true } : {}),
      };
      // One statement for the new ones; the few already known (now stored in another place too) get their flags.
      await prisma.backupChunk.createMany({ data: chunks.map((chunk) => ({ ...chunk, ...flags })), skipDuplicates: true });
      await prisma.backupChunk.updateMany({ where: { id: { in: chunks.map((chunk) => chunk.id) } }, data: flags });
    },
    async forget(ids) {
      if (ids.length > 0) await prisma.backupChunk.deleteMany({ where: { id: { in: [...ids] } } });
    },
  };
}

function placesOf(row: { storedLocally: boolean; storedOffsite: boolean }): TChunkPlace[] {
  return [...(row.storedLocally ? (['local'] as const) : []), ...(row.storedOffsite ? (['offsite'] as const) : [])];
}
