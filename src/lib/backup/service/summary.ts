import type { Backup } from '@/generated/prisma/client';

/** A backup's metadata as callers see it: plain JSON (no BigInt), no file paths. */
export interface TBackupSummary {
  id: string;
  filename: string;
  type: Backup['type'];
  /** FULL (one file) or INCREMENTAL (a snapshot: a manifest and shared chunks). */
  kind: Backup['kind'];
  status: Backup['status'];
  location: Backup['location'];
  /** Key of the off-site copy, when there is one. */
  objectKey: string | null;
  /** Why the off-site upload failed, while it has not been retried successfully. */
  uploadError: string | null;
  /** Bytes of the file (full) or of the manifest (snapshot). */
  sizeBytes: number | null;
  /** Bytes of the uncompressed document the backup holds. */
  logicalBytes: number | null;
  /** Bytes this backup newly wrote to storage (a snapshot: its manifest and its new chunks). */
  storedBytes: number | null;
  /** Chunks a snapshot stored anew and found already stored; null for full backups. */
  chunksNew: number | null;
  chunksReused: number | null;
  sha256: string | null;
  formatVersion: number | null;
  keyId: string | null;
  models: string[];
  rowCounts: Record<string, number> | null;
  totalRows: number | null;
  durationMs: number | null;
  error: string | null;
  createdById: string | null;
  createdAt: string;
  completedAt: string | null;
  lastVerifiedAt: string | null;
  /** Kept by every retention policy until unpinned. */
  pinned: boolean;
  /** The schedule that made it and the slot it stands for (SCHEDULED backups). */
  scheduleId: string | null;
  scheduledFor: string | null;
  /** When a scrub last checked its copies, what it found (OK, REPAIRED, DAMAGED, MISSING, UNCHECKED) and, when not OK, what in words. */
  lastScrubAt: string | null;
  scrubStatus: string | null;
  scrubProblem: string | null;
  /** When a restore drill last judged it, and its verdict (`OK`/`FAILED`); null if never drilled. */
  lastDrillAt: string | null;
  lastDrillStatus: string | null;
}

export function toSummary(row: Backup): TBackupSummary {
  return {
    id: row.id,
    filename: row.filename,
    type: row.type,
    kind: row.kind,
    status: row.status,
    location: row.location,
    objectKey: row.objectKey,
    uploadError: row.uploadError,
    sizeBytes: row.sizeBytes === null ? null : Number(row.sizeBytes),
    logicalBytes: row.logicalBytes === null ? null : Number(row.logicalBytes),
    storedBytes: row.storedBytes === null ? null : Number(row.storedBytes),
    chunksNew: row.chunksNew,
    chunksReused: row.chunksReused,
    sha256: row.sha256,
    formatVersion: row.formatVersion,
    keyId: row.keyId,
    models: row.models,
    rowCounts: (row.rowCounts as Record<string, number> | null) ?? null,
    totalRows: row.totalRows === null ? null : Number(row.totalRows),
    durationMs: row.durationMs,
    error: row.error,
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    lastVerifiedAt: row.lastVerifiedAt?.toISOString() ?? null,
    pinned: row.pinned,
    scheduleId: row.scheduleId,
    scheduledFor: row.scheduledFor?.toISOString() ?? null,
    lastScrubAt: row.lastScrubAt?.toISOString() ?? null,
    scrubStatus: row.scrubStatus,
    scrubProblem: row.scrubProblem,
    lastDrillAt: row.lastDrillAt?.toISOString() ?? null,
    lastDrillStatus: row.lastDrillStatus,
  };
}
