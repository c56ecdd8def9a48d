import path from 'node:path';
import type { TAuditContext } from '@/lib/audit/audit-log';
import type { TDb } from '@/lib/db/client';
import type { TSchemaPaths } from '@/lib/db/migrate';
import type { TRaiseAlert } from '../alerts/alert-event';
import type { THeartbeat } from '../alerts/heartbeat';
import type { TKeyring } from '../crypto/keys';
import { type TProgress, updateProgress } from '../process/progress';
import { readCatalog } from '../schema/catalog';
import { resolveModels, type TBackupModel, type TSchemaModel } from '../schema/models';
import { schemaModelsOf } from '../schema/prisma-models';
import type { TChunkSizes } from '../snapshot/chunker';
import { sqlOf } from '../sql/sql';
import type { BackupStorage } from '../storage';
import { isBackupFileName, isManifestName, temporaryBackupName } from '../storage/file-names';

/**
 * Everything a backup operation needs, passed in (never imported globally),
 * so the facade, the CLI, the scheduler and the tests use one code path with
 * real parts.
 */
export interface TBackupDeps {
  db: TDb;
  backupDir: string;
  keyring: TKeyring;
  audit: TAuditContext;
  log?: (message: string) => void;
  /**
   * The off-site copy (S3) and how it is used: `both` keeps the local file
   * and uploads a copy; `s3` uploads and keeps no local copy. Without it,
   * backups are local only.
   */
  offsite?: { storage: BackupStorage; mode: 's3' | 'both' };
  /** The schema's models; defaults to those of the generated Prisma client (tests pass another schema's). */
  schemaModels?: TSchemaModel[];
  /**
   * Told of the progress of a backup or restore after each page of rows and
   * at each change of phase, and awaited: the operation waits for it. The
   * fault-injection tests use it to act at a chosen point.
   */
  onProgress?: (progress: TProgress) => void | Promise<void>;
  /** Tells a person that something went wrong (or right again): README, "Alerts". Absent: nothing is sent (tests, tools). */
  alert?: TRaiseAlert;
  /** Pinged after each successful scheduled backup (BACKUP_HEARTBEAT_URL). Absent: no heartbeat. */
  heartbeat?: THeartbeat;
  /**
   * The dead man's switch: hours without a completed backup after which
   * `backup.stale` is raised and the health check fails. Absent: 26 when an
   * enabled schedule runs at least daily, otherwise no limit.
   */
  maxBackupAgeHours?: number;
  /**
   * Where restore drills put their throwaway database (README, "Restore
   * drills"): `serverUrl` is BACKUP_DRILL_DATABASE_URL; `tempDir` the parent
   * of an embedded one (default: the system's); `schemaPaths` the migrations
   * (default: prisma/ of the working directory).
   */
  drill?: { serverUrl?: string; tempDir?: string; schemaPaths?: TSchemaPaths };
  /** Worker threads converting and compressing rows (BACKUP_WORKERS); default: one per core. */
  workers?: number;
  /** Snapshot chunk sizes; default CHUNK_SIZES (about 1 MiB). Tests use small ones so a few thousand rows make many chunks. */
  chunkSizes?: TChunkSizes;
  /** Longest chain of patches a snapshot chunk may need; default MAX_CHAIN (32). Tests use short ones. */
  maxPatchChain?: number;
}

/** Updates an operation's progress and tells `deps.onProgress`. */
export async function reportProgress(deps: TBackupDeps, progress: TProgress, patch: Parameters<typeof updateProgress>[1]): Promise<void> {
  updateProgress(progress, patch);
  await deps.onProgress?.({ ...progress });
}

/**
 * Every table the schema owns (its models and implicit many-to-many tables,
 * in every PostgreSQL schema it uses), in dependency order, with the
 * catalogue's columns. Fails if the database holds a table it cannot place,
 * unless `ignoreUnplaced` (restores and checks, which touch only the schema's tables).
 */
export async function loadModels(deps: TBackupDeps, options: { ignoreUnplaced?: boolean } = {}): Promise<TBackupModel[]> {
  const schemaModels = deps.schemaModels ?? schemaModelsOf(deps.db.prisma);
  const namespaces = schemaModels.flatMap((model) => (model.schema ? [model.schema] : []));
  return resolveModels(schemaModels, await readCatalog(sqlOf(deps.db.prisma), namespaces), options);
}

/** The path of a backup file (or a snapshot's manifest) in BACKUP_DIR. Only names the engine generated reach here; they are checked again anyway. */
export function backupPath(deps: TBackupDeps, filename: string): string {
  if (!(isBackupFileName(filename) || isManifestName(filename)) || path.basename(filename) !== filename) {
    throw new Error(`Refusing an unexpected backup file name: ${filename}`);
  }
  return path.join(deps.backupDir, filename);
}

/** Where a backup file is written before it is complete; a name no listing or restore mistakes for a backup. */
export function temporaryPath(deps: TBackupDeps, filename: string): string {
  return path.join(deps.backupDir, temporaryBackupName(path.basename(backupPath(deps, filename))));
}
