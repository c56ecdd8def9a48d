import { createHash } from 'node:crypto';
import { writeAuditBestEffort } from '@/lib/audit/audit-log';
import { findFileKey, sha256File } from '../crypto/encrypted-file';
import { allKeys } from '../crypto/keys';
import { BackupError, MESSAGES, publicMessage } from '../errors/errors';
import { readLatestMigration } from '../export/read-snapshot';
import { fileContent, type TBackupContent } from '../format/backup-content';
import type { TDocumentEvent } from '../format/document-reader';
import { backupLog } from '../process/log';
import { sqlOf } from '../sql/sql';
import { backupTargets } from './backup-storages';
import { loadModels, type TBackupDeps } from './deps';
import { findBackupRow } from './find-backup';
import { type TBackupFile, withBackupFile } from './offsite';
import { snapshotContentIn } from './open-content';
import { modelsInFile } from './restore-plan';
import { openManifestWithKeys, readManifestBytes } from './snapshot-storage';
import { tableCoverage } from './table-coverage';

export interface TVerifyCheck {
  name: 'file-present' | 'size' | 'checksum' | 'auth-tag' | 'content' | 'row-counts' | 'tables';
  ok: boolean;
  detail: string;
}

export interface TVerifyResult {
  id: string;
  valid: boolean;
  checks: TVerifyCheck[];
}

/**
 * Checks a backup end to end without touching the data (a snapshot: its
 * manifest in place of the file, and every chunk it lists, each authenticated
 * and matched against its id, in the content check): the file is there,
 * its size and SHA-256 match the row, the auth tag is valid, gzip and the
 * document parse, each model's rows match the counts in the header and
 * the row, and the file holds every table the schema owns (see
 * `tableCoverage`). Every check is reported; the first failure stops the
 * later ones.
 */
export async function verifyBackup(id: string, deps: TBackupDeps): Promise<TVerifyResult> {
  const row = await findBackupRow(deps, id);
  if (row.status !== 'COMPLETED')
    throw new BackupError('NOT_RESTORABLE', `Backup ${id} is ${row.status}, only COMPLETED backups can be verified`);
  const checks: TVerifyCheck[] = [];
  const record = (name: TVerifyCheck['name'], ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    return ok;
  };
  /** The checks every backup shares once its bytes are authenticated: its document, row counts and tables. */
  const checkContent = async (content: TBackupContent) => {
    const counted: Record<string, number> = {};
    let first: TDocumentEvent | null = null;
    try {
      for await (const event of content.events()) {
        first ??= event;
        if (event.kind === 'model-end') counted[event.model] = event.rowCount;
      }
    } catch (error) {
      record('content', false, publicMessage(error));
      return;
    }
    record(
      'content',
      true,
      row.kind === 'INCREMENTAL'
        ? 'every chunk present, authenticated and matching its id; the document valid; each model matches its header row count'
        : 'gzip and JSON document valid; each model matches its header row count',
    );
    const expected = (row.rowCounts ?? {}) as Record<string, number>;
    const mismatched = Object.keys({ ...expected, ...counted }).filter((model) => expected[model] !== counted[model]);
    if (
      !record(
        'row-counts',
        mismatched.length === 0,
        mismatched.length ? `row counts differ from the record for ${mismatched.join(', ')}` : `${Object.keys(counted).length} models`,
      ) ||
      !first
    )
      return;
    const coverage = await checkTables(first, row.models, deps).catch((error: unknown) => ({ ok: false, detail: publicMessage(error) }));
    record('tables', coverage.ok, coverage.detail);
  };
  const checkFile = async ({ path: filePath, source, size }: TBackupFile) => {
    record('file-present', true, source === 'local' ? row.filename : `${row.filename} (off-site copy ${row.objectKey}; no local copy)`);
    const expectedSize = Number(row.sizeBytes);
    if (!record('size', size === expectedSize, `${size} bytes (expected ${expectedSize})`)) return;
    const sha256 = await sha256File(filePath);
    if (!checksum(sha256)) return;
    // Not authenticated by any key is this check's failure, recorded in the result like every other check, not an error of verify.
    const key = await findFileKey(filePath, allKeys(deps.keyring), row.keyId).catch(() => null);
    if (!record('auth-tag', key !== null, key ? `authenticated with key ${key.id}` : MESSAGES.authFailed) || !key) return;
    await checkContent(fileContent(filePath, key));
  };
  const checksum = (sha256: string) =>
    record('checksum', sha256 === row.sha256, sha256 === row.sha256 ? `SHA-256 ${sha256}` : 'SHA-256 does not match the recorded checksum');
  const checkSnapshot = async () => {
    const targets = backupTargets(deps);
    const sealed = await readManifestBytes(targets, row.filename);
    record('file-present', true, `manifest ${row.filename}`);
    const expectedSize = Number(row.sizeBytes);
    if (!record('size', sealed.length === expectedSize, `manifest of ${sealed.length} bytes (expected ${expectedSize})`)) return;
    if (!checksum(createHash('sha256').update(sealed).digest('hex'))) return;
    let opened: ReturnType<typeof openManifestWithKeys> | null = null;
    try {
      opened = openManifestWithKeys(sealed, deps, row.keyId);
    } catch (error) {
      record('auth-tag', false, publicMessage(error));
      return;
    }
    record('auth-tag', true, `manifest authenticated with key ${opened.key.id}`);
    let content: TBackupContent;
    try {
      content = await snapshotContentIn(targets, opened.manifest, opened.key, deps);
    } catch (error) {
      record('content', false, publicMessage(error));
      return;
    }
    await checkContent(content);
  };
  const run = async () => {
    try {
      if (row.kind === 'INCREMENTAL') await checkSnapshot();
      else await withBackupFile(row, deps, checkFile);
    } catch (error) {
      if (checks.length > 0) throw error;
      record('file-present', false, publicMessage(error));
    }
  };
  await run();
  const valid = checks.length === 7 && checks.every((check) => check.ok);
  if (valid) await deps.db.prisma.backup.update({ where: { id }, data: { lastVerifiedAt: new Date() } });
  await writeAuditBestEffort(
    deps.db.prisma,
    deps.audit,
    {
      action: 'backup.verified',
      outcome: valid ? 'SUCCESS' : 'FAILURE',
      targetId: id,
      details: { failed: checks.filter((check) => !check.ok).map((check) => `${check.name}: ${check.detail}`) },
    },
    deps.log ?? backupLog,
  );
  return { id, valid, checks };
}

/** Compares the file's tables with the ones its row records and the ones the schema owns now. */
async function checkTables(first: TDocumentEvent, recorded: string[], deps: TBackupDeps) {
  const owned = await loadModels(deps, { ignoreUnplaced: true });
  const names = [...modelsInFile(first, owned)];
  const header = first.kind === 'header' ? first.header : null;
  const file = {
    names: header ? header.models.map((model) => model.name) : names,
    partial: header?.partial === true,
    migration: header?.migration ?? null,
  };
  return tableCoverage(
    file,
    recorded,
    owned.map((model) => model.name),
    await readLatestMigration(sqlOf(deps.db.prisma)),
  );
}
