import type { TPruneResult, TRunDueResult, TScheduleView } from '@/lib/utils/backup-service';
import { table } from './format-output';

// The human output of the schedule, runner and retention commands (schedule-commands.ts names which is whose).

/** A retention policy in words: "7 daily, 4 weekly, 12 monthly", "everything" when it has no rule. */
export function policyInWords(policy: TScheduleView['retention']): string {
  const parts = [
    policy.keepLast ? `last ${policy.keepLast}` : null,
    policy.keepHourly ? `${policy.keepHourly} hourly` : null,
    policy.keepDaily ? `${policy.keepDaily} daily` : null,
    policy.keepWeekly ? `${policy.keepWeekly} weekly` : null,
    policy.keepMonthly ? `${policy.keepMonthly} monthly` : null,
    policy.keepYearly ? `${policy.keepYearly} yearly` : null,
    policy.keepWithin ? `all within ${policy.keepWithin}` : null,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'everything';
}

export function describeSchedules(schedules: TScheduleView[]): string {
  if (schedules.length === 0) return 'No schedules. Add one with: erp-backup schedule add --cron "0 2 * * *" --keep-daily 7';
  return table([
    ['ID', 'KIND', 'NAME', 'WHEN', 'ENABLED', 'NEXT RUN', 'LAST RUN', 'LAST RESULT', 'KEEPS'],
    ...schedules.map((s) => [
      s.id,
      s.kind === 'BACKUP' && s.backupKind === 'INCREMENTAL' ? 'snapshot' : s.kind.toLowerCase(),
      s.name,
      s.description,
      s.enabled ? 'yes' : 'no',
      s.nextRunAt ?? '-',
      s.lastRunAt ?? '-',
      s.lastStatus ?? '-',
      s.kind === 'BACKUP' ? policyInWords(s.retention) : '-',
    ]),
  ]);
}

export function describeScheduleAdded(schedule: { id: string; nextRunAt: string | null }): string {
  return `Schedule ${schedule.id} added; next run ${schedule.nextRunAt ?? 'never (the expression has no future date)'}.`;
}

export function describeRunDue(result: TRunDueResult): string {
  if (result.runs.length === 0) return 'Nothing was due.';
  return result.runs
    .map((run) => {
      const missed = run.missedSlots > 0 ? ` (standing for ${run.missedSlots} missed slot(s) too)` : '';
      const detail = run.backupId ? `backup ${run.backupId}` : (run.error ?? '');
      return `Slot ${run.slot} of schedule ${run.scheduleId}${missed}: ${run.status} ${detail}`.trimEnd();
    })
    .join('\n');
}

export function describePruned(result: TPruneResult): string {
  const lines = [
    `${result.dryRun ? 'Would keep' : 'Kept'} ${result.keep.length}, ${result.dryRun ? 'would remove' : 'removed'} ${result.dryRun ? result.remove.length : result.removed.length} (policy: ${policyInWords(result.policy)}, ${result.timezone}).`,
    ...result.keep.map((backup) => `  keep    ${backup.id}  ${backup.createdAt}  ${backup.reasons.join(', ')}`),
    ...result.remove.map((backup) => `  remove  ${backup.id}  ${backup.createdAt}`),
    ...result.failed.map((failure) => `  FAILED  ${failure.id}: ${failure.error}`),
  ];
  return lines.join('\n');
}
