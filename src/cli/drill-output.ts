import type { TDrillResult } from '@/lib/utils/backup-service';
import { table } from './format-output';

/** The human output of `erp-backup drill`: the verdict, what differs first, and the models that were not proved. */
export function describeDrilled(result: TDrillResult): string {
  const rows = result.models.reduce((sum, model) => sum + model.rows, 0);
  const digests = result.digests === 'checked' ? 'rows and content digests' : 'row counts only (this backup recorded no digests)';
  const lines = [
    `Drill of backup ${result.backupId} ${result.status}: ${rows.toLocaleString()} rows in ${result.models.length} models restored into ${result.database ?? 'a throwaway database'} and checked on ${digests}, ${result.durationMs} ms`,
  ];
  if (result.firstDifference) {
    lines.push(
      `First difference${result.firstDifference.model ? ` (${result.firstDifference.model})` : ''}: ${result.firstDifference.reason}`,
    );
  }
  const differing = result.models.filter((model) => model.rows !== model.expectedRows || model.digestMatches === false);
  if (differing.length > 0) {
    lines.push(
      table([
        ['MODEL', 'ROWS', 'RECORDED', 'DIGEST'],
        ...differing.map((model) => [
          model.name,
          String(model.rows),
          String(model.expectedRows),
          model.digestMatches === null ? '-' : model.digestMatches ? 'same' : 'DIFFERENT',
        ]),
      ]),
    );
  }
  return lines.join('\n');
}
