import { formatBytes } from '@/lib/format/bytes';
import type {
  TBackupSummary,
  TDeleteResult,
  TGcResult,
  TRebuildIndexResult,
  TRestoreResult,
  TVerifyResult,
} from '@/lib/utils/backup-service';

function size(bytes: number | null): string {
  return formatBytes(bytes, '-');
}

/** Rows as aligned columns (the first row is the header). */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

// The human output of each command's result (commands.ts names which is whose).

export function describeCreated(backup: TBackupSummary): string {
  const upload = backup.uploadError
    ? `\nWARNING: kept locally only, the off-site upload failed: ${backup.uploadError} (retry with: erp-backup sync)`
    : '';
  if (backup.kind === 'INCREMENTAL') {
    return `Snapshot ${backup.id} COMPLETED: ${backup.filename}, ${size(backup.storedBytes)} newly stored for ${size(backup.logicalBytes)} of data (${backup.chunksNew} new chunks, ${backup.chunksReused} reused), ${backup.totalRows?.toLocaleString()} rows in ${backup.models.length} models, ${backup.durationMs} ms, ${backup.location} (key ${backup.keyId})`;
  }
  return `Backup ${backup.id} COMPLETED: ${backup.filename}, ${size(backup.sizeBytes)}, ${backup.totalRows?.toLocaleString()} rows in ${backup.models.length} models, ${backup.durationMs} ms, ${backup.location} (key ${backup.keyId})${upload}`;
}

export function describeGc(result: TGcResult): string {
  const verb = result.dryRun ? 'Would delete' : 'Deleted';
  const places = result.places.map((place) => `  ${place.where}: ${place.chunksDeleted} chunk(s), ${size(place.bytesFreed)}`);
  return [
    `${verb} ${result.chunksDeleted} unreferenced chunk(s), ${size(result.bytesFreed)}; ${result.referencedChunks} chunk(s) referenced by ${result.manifests} manifest(s) kept.`,
    ...places,
  ].join('\n');
}

export function describeRebuiltIndex(result: TRebuildIndexResult): string {
  const missing =
    result.chunksMissing > 0
      ? `\nWARNING: ${result.chunksMissing} referenced chunk(s) are stored nowhere: run verify on the snapshots to see which are affected.`
      : '';
  return `Chunk index rebuilt from ${result.manifests} manifest(s): ${result.chunksIndexed} chunk(s) indexed, ${result.chunksUnreferenced} unreferenced (erp-backup gc deletes them).${missing}`;
}

export function describeList(backups: TBackupSummary[]): string {
  if (backups.length === 0) return 'No backups yet. Create one with: npm run -s erp-backup -- create';
  return table([
    ['ID', 'CREATED', 'TYPE', 'KIND', 'STATUS', 'SIZE', 'STORED', 'ROWS', 'LOCATION', 'KEY', 'PINNED'],
    ...backups.map((b) => [
      b.id,
      b.createdAt,
      b.type,
      b.kind === 'INCREMENTAL' ? 'snapshot' : 'full',
      b.status,
      size(b.sizeBytes),
      size(b.storedBytes),
      String(b.totalRows ?? '-'),
      b.location,
      b.keyId ?? '-',
      b.pinned ? 'pinned' : '',
    ]),
  ]);
}

export function describeVerified(result: TVerifyResult): string {
  const lines = result.checks.map((check) => `  ${check.ok ? 'ok  ' : 'FAIL'} ${check.name.padEnd(13)} ${check.detail}`);
  return [`Backup ${result.id}: ${result.valid ? 'VALID' : 'INVALID'}`, ...lines].join('\n');
}

export function describeRestored(result: TRestoreResult): string {
  const lines = [
    `Restored ${result.recordsRestored.toLocaleString()} rows in ${result.durationMs} ms.`,
    result.safetyBackupId
      ? `Safety backup of the previous data: ${result.safetyBackupId}`
      : `No safety backup: ${result.safetyBackupSkipped}`,
  ];
  if (result.unmatchedModels.length) lines.push(`Not restored (no such model now): ${result.unmatchedModels.join(', ')}`);
  for (const [model, fields] of Object.entries(result.unmatchedFields)) lines.push(`Ignored fields of ${model}: ${fields.join(', ')}`);
  if (result.modelsNotInBackup.length) lines.push(`Emptied (not in the backup): ${result.modelsNotInBackup.join(', ')}`);
  return lines.join('\n');
}

export function describeDeleted(result: TDeleteResult): string {
  const copies = [result.fileExisted ? 'local file' : null, result.cloudCopyExisted ? 'off-site copy' : null].filter(Boolean);
  const deleted = `Backup ${result.id} deleted (${copies.length ? `removed: ${copies.join(' and ')}` : 'no file was left'}).`;
  return result.cloudCopyLeft
    ? `${deleted}\nIts off-site copy ${result.cloudCopyLeft} was NOT removed: off-site storage is not configured here. Configure it and delete again to remove it.`
    : deleted;
}

export function describeSynced(result: { uploaded: string[]; failed: { id: string; error: string }[] }): string {
  const lines = [`Uploaded ${result.uploaded.length} backup(s) off-site.`];
  for (const failure of result.failed) lines.push(`  FAILED ${failure.id}: ${failure.error}`);
  return lines.join('\n');
}

export function describePinned(backup: TBackupSummary): string {
  return backup.pinned ? `Backup ${backup.id} pinned: every retention policy keeps it.` : `Backup ${backup.id} unpinned.`;
}
