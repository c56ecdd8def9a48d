'use client';

import { useRouter } from 'next/navigation';
import { Fragment, useId } from 'react';
import { drillBackupAction, verifyBackupAction } from '@/lib/actions/backupActions';
import type { TBackupSummary } from '@/lib/backup/service/summary';
import { BACKUP_KIND_LABELS, backupSizeWords } from './backup-kind';
import { DeleteBackupButton } from './delete-backup-button';
import { DrillResult } from './drill-result';
import { formatCount } from './format';
import { LocalTime } from './local-time';
import { PinBackupButton } from './pin-backup-button';
import { RestoreBackupButton } from './restore-backup-button';
import { StatusBadge } from './status-badge';
import { useServerAction } from './use-server-action';
import { VerifyResult } from './verify-result';

const TYPES: Record<TBackupSummary['type'], string> = { MANUAL: 'Manual', SCHEDULED: 'Scheduled', PRE_RESTORE: 'Pre-restore' };
const LOCATIONS: Record<TBackupSummary['location'], string> = { LOCAL: 'Local', CLOUD: 'Cloud', BOTH: 'Local + cloud' };
/** Cells of a row (the header cell and eight data cells), for the full-width row of a verification result. */
const COLUMNS = 9;

/**
 * One backup: its facts, its actions and, once verified, the checks under it.
 * The row's file name describes every action button, so "Verify" is never
 * ambiguous to a screen reader.
 */
export function BackupRow({ backup, scheduleName }: { backup: TBackupSummary; scheduleName?: string }) {
  const fileId = useId();
  const verify = useServerAction(verifyBackupAction);
  const drill = useServerAction(drillBackupAction);
  const router = useRouter();
  const usable = backup.status === 'COMPLETED';
  const [size, ...sizeDetails] = backupSizeWords(backup);
  const runVerify = async () => {
    // A verification updates "Last verified".
    if ((await verify.run(backup.id)).success) router.refresh();
  };
  return (
    <>
      <tr id={`backup-${backup.id}`}>
        <th scope="row">
          <LocalTime iso={backup.createdAt} />
          <span id={fileId} className="backup-file">
            {backup.filename}
          </span>
        </th>
        <td>
          <span className="nowrap">{TYPES[backup.type]}</span>
          <span className="backup-kind">{BACKUP_KIND_LABELS[backup.kind]}</span>
          {scheduleName ? <span className="backup-schedule">{scheduleName}</span> : null}
        </td>
        <td className="numeric">
          <span className="nowrap">{size}</span>
          {sizeDetails.length ? (
            <span className="backup-size-detail">
              {/* Wraps between the parts, never inside one. */}
              {sizeDetails.map((part, index) => (
                <Fragment key={part}>
                  {index ? ' · ' : ''}
                  <span className="nowrap">{part}</span>
                </Fragment>
              ))}
            </span>
          ) : null}
        </td>
        <td className="numeric">{formatCount(backup.totalRows)}</td>
        <td>{LOCATIONS[backup.location]}</td>
        <td>
          <span className="badges">
            <StatusBadge status={backup.status} />
            {backup.pinned ? <StatusBadge status="PINNED" /> : null}
          </span>
        </td>
        <td>{backup.keyId ? <code>{backup.keyId}</code> : '—'}</td>
        <td>
          <LocalTime iso={backup.lastVerifiedAt} fallback="Never" />
          {backup.lastDrillStatus ? (
            <span className="backup-schedule">
              Drill {backup.lastDrillStatus === 'OK' ? 'OK' : 'FAILED'} <LocalTime iso={backup.lastDrillAt} />
            </span>
          ) : null}
        </td>
        <td>
          <div className="row-actions">
            <button
              type="button"
              className="button button-small button-secondary"
              aria-describedby={fileId}
              disabled={!usable || verify.pending}
              onClick={runVerify}
            >
              {verify.pending ? 'Verifying…' : 'Verify'}
            </button>
            {usable ? (
              <button
                type="button"
                className="button button-small button-secondary"
                aria-describedby={fileId}
                disabled={drill.pending}
                onClick={() => drill.run(backup.id)}
                title="Restore into a throwaway database and check every table against the backup (the live data is not touched)"
              >
                {drill.pending ? 'Drilling…' : 'Drill'}
              </button>
            ) : null}
            {usable ? (
              <a
                className="button button-small button-secondary"
                href={`/admin/backups/${backup.id}/download`}
                download
                aria-describedby={fileId}
              >
                Download
              </a>
            ) : null}
            {usable ? <PinBackupButton backup={backup} describedBy={fileId} /> : null}
            {usable ? <RestoreBackupButton backup={backup} describedBy={fileId} /> : null}
            {backup.status !== 'RUNNING' && backup.status !== 'DELETED' ? (
              <DeleteBackupButton backup={backup} describedBy={fileId} />
            ) : null}
          </div>
        </td>
      </tr>
      {verify.state.status === 'done' || verify.state.status === 'error' ? (
        <tr className="detail-row">
          <td colSpan={COLUMNS}>
            <VerifyResult state={verify.state} filename={backup.filename} sizeBytes={backup.sizeBytes} />
          </td>
        </tr>
      ) : null}
      {drill.state.status === 'done' || drill.state.status === 'error' ? (
        <tr className="detail-row">
          <td colSpan={COLUMNS}>
            <DrillResult state={drill.state} filename={backup.filename} />
          </td>
        </tr>
      ) : null}
    </>
  );
}
