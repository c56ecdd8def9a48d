import type { TRestorePlan } from '@/lib/utils/backup-service';
import { formatCount } from './format';

/**
 * What a restore will do, from the plan the server works out before anyone
 * confirms: which tables are replaced, which are emptied because the backup
 * has no rows for them, and why the backup's total differs from the rows
 * restored (the history it holds is kept, not restored).
 */
export function RestorePlanSummary({ plan }: { plan: TRestorePlan }) {
  const tables = plan.replaced.length;
  return (
    <>
      {plan.replacesEverything ? (
        <p className="warning-box">
          <strong>All current data of every model will be replaced</strong> — schools, students, staff, attendance, users and everything
          else — by the data in this backup. Only the backup history and the audit log are kept. A safety backup of the current data is
          taken first, so this restore can itself be undone.
        </p>
      ) : (
        <p className="warning-box">
          <strong>
            The data of the {tables} {tables === 1 ? 'table' : 'tables'} in this backup will be replaced
            {plan.emptied.length ? `, and ${plan.emptied.length} more will be emptied` : ''}.
          </strong>{' '}
          A safety backup of the current data is taken first, so this restore can itself be undone.
        </p>
      )}
      {plan.emptied.length ? (
        <div className="warning-box">
          <p>
            <strong>Emptied, because this backup has no rows for them</strong> and their rows would point at replaced data:
          </p>
          <p>
            <code>{plan.emptied.join(', ')}</code>
          </p>
        </div>
      ) : null}
      {plan.notInSchema.length ? (
        <p className="muted">
          Not restored (no longer in the schema): <code>{plan.notInSchema.join(', ')}</code>
        </p>
      ) : null}
      {plan.historyRowsKept > 0 ? (
        <p className="muted">
          The backup also holds {formatCount(plan.historyRowsKept)} rows of backup history and audit log, counted in its total: they are
          kept as they are now, not restored.
        </p>
      ) : null}
    </>
  );
}
