'use client';

import { useState } from 'react';
import { previewRetentionAction } from '@/lib/actions/backupActions';
import { isEmptyPolicy, type TRetentionPolicy } from '@/lib/backup/schedule/retention';
import type { TPruneResult } from '@/lib/utils/backup-service';
import { AlertMessage } from './alert-message';
import { useBackupName } from './backup-names';
import { LocalTime } from './local-time';
import { StatusBadge } from './status-badge';
import { useServerAction } from './use-server-action';

/** Which backups a policy is judged on: a schedule's own, or (no schedule) those no schedule made. */
export interface TRetentionScope {
  scheduleId?: string;
  policy: TRetentionPolicy;
  timezone: string;
}

function BackupMade({ id, createdAt }: { id: string; createdAt: string }) {
  const name = useBackupName(id);
  return (
    <>
      <LocalTime iso={createdAt} />
      {name ? <span className="backup-file">{name}</span> : null}
    </>
  );
}

/** One table, newest first: what the policy keeps (and why) and what it removes. */
export function RetentionPlanTable({ plan, caption }: { plan: TPruneResult; caption: string }) {
  const rows = [
    ...plan.keep.map((backup) => ({ ...backup, keep: true })),
    ...plan.remove.map((backup) => ({ ...backup, keep: false, reasons: [] as string[] })),
  ].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  if (!rows.length)
    return <p className="muted">There are no backups for this policy to judge yet: it applies to the ones made from now on.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table compact-table retention-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Backup made</th>
            <th scope="col">Now</th>
            <th scope="col">Why kept</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id}>
              <th scope="row">
                <BackupMade id={row.id} createdAt={row.createdAt} />
              </th>
              <td>
                <StatusBadge status={row.keep ? 'KEPT' : 'REMOVED'} />
              </td>
              <td>{row.keep ? row.reasons.join(', ') : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * "Preview": asks the server what the policy (as typed, not yet saved) would
 * keep and remove now, and shows it. A preview made for another policy than
 * the one in the fields is hidden, so what is shown always matches the form.
 */
export function RetentionPreview({ scope, problem }: { scope: TRetentionScope | null; problem?: string | null }) {
  const preview = useServerAction(previewRetentionAction);
  const [previewed, setPreviewed] = useState<string | null>(null);
  const key = scope ? JSON.stringify(scope) : null;
  const empty = scope ? isEmptyPolicy(scope.policy) : false;

  const run = async () => {
    if (!scope || empty) return;
    setPreviewed(key);
    await preview.run(scope);
  };
  const current = previewed === key;
  const plan = current && preview.state.status === 'done' ? preview.state.data : null;

  return (
    <div className="retention-preview">
      <button type="button" className="button button-small button-secondary" onClick={run} disabled={!scope || empty || preview.pending}>
        {preview.pending ? 'Working it out…' : 'Preview'}
      </button>
      {problem ? <p className="field-error">{problem}</p> : null}
      {!problem && empty ? <p className="muted">With no rule set, every backup is kept: there is nothing to preview.</p> : null}
      {current && preview.state.status === 'error' ? <AlertMessage message={preview.state.error} /> : null}
      {plan ? (
        <div>
          <p role="status" className="status-message">
            Applied now, this policy would keep {plan.keep.length} and remove {plan.remove.length}{' '}
            {plan.remove.length === 1 ? 'backup' : 'backups'}.
          </p>
          <RetentionPlanTable plan={plan} caption="What this policy keeps and removes now" />
        </div>
      ) : null}
    </div>
  );
}
