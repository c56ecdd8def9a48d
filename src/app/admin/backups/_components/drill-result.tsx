import type { TDrillResult } from '@/lib/utils/backup-service';
import { AlertMessage } from './alert-message';
import { formatCount } from './format';
import type { TCallState } from './use-server-action';

/** The outcome of "Drill": whether the backup restored to the data it recorded, and the first model that did not. */
export function DrillResult({ state, filename }: { state: TCallState<TDrillResult>; filename: string }) {
  if (state.status === 'error') return <AlertMessage message={`Could not drill ${filename}: ${state.error}`} />;
  if (state.status !== 'done') return null;
  const { status, models, firstDifference, durationMs, digests } = state.data;
  const rows = models.reduce((sum, model) => sum + model.rows, 0);
  const proof = digests === 'checked' ? 'row counts and content digests' : 'row counts only (this backup recorded no digests)';
  return (
    <div role="status" className="verify-result">
      <p className={status === 'OK' ? 'verify-summary verify-ok' : 'verify-summary verify-bad'}>
        {status === 'OK'
          ? `${filename} restores: ${formatCount(rows)} rows in ${models.length} models match its ${proof} (${Math.round(durationMs / 1000)} s, in a throwaway database).`
          : `${filename} failed its restore drill${firstDifference?.model ? ` at ${firstDifference.model}` : ''}: ${firstDifference?.reason ?? 'it did not restore to the data it recorded'}.`}
      </p>
    </div>
  );
}
