/**
 * Retention policies with restic `forget` semantics (restic: `internal/data/snapshot_policy.go`,
 * `doc/060_forget.rst`), plus the protections of this module. Pure: returns a plan,
 * deletes nothing; the clock and timezone are arguments.
 */
import { BackupError } from '../errors';
import { bucketKey, type TBucketKind } from './retention-buckets';
import { formatDuration, isZeroDuration, parseDuration, subtractDuration } from './retention-duration';

/**
 * A retention policy (validate input with `ZRetentionPolicy`); every rule is optional,
 * an all-empty policy is refused by `planRetention`. Counts are non-negative integers.
 */
export type TRetentionPolicy = {
  keepLast?: number;
  keepHourly?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
  /** restic duration measured back from the newest backup: `30d`, `12h`, `1y6m` (and `2w`). */
  keepWithin?: string;
};

/** A backup row as retention sees it. */
export type TRetentionBackup = {
  id: string;
  createdAt: Date;
  status: 'RUNNING' | 'COMPLETED' | 'FAILED' | 'DELETED';
  type: 'MANUAL' | 'SCHEDULED' | 'PRE_RESTORE';
  pinned: boolean;
};

/** What a policy keeps (with why) and removes, newest first. */
export type TRetentionPlan = {
  keep: { id: string; createdAt: Date; reasons: string[] }[];
  remove: { id: string; createdAt: Date }[];
};

/** PRE_RESTORE safety backups younger than this are never removed by a policy. */
export const SAFETY_BACKUP_PROTECTION_MS = 7 * 86_400_000;

const RULES: { key: Exclude<keyof TRetentionPolicy, 'keepWithin'>; kind: TBucketKind | 'last' }[] = [
  { key: 'keepLast', kind: 'last' },
  { key: 'keepHourly', kind: 'hourly' },
  { key: 'keepDaily', kind: 'daily' },
  { key: 'keepWeekly', kind: 'weekly' },
  { key: 'keepMonthly', kind: 'monthly' },
  { key: 'keepYearly', kind: 'yearly' },
];

/** True when the policy keeps nothing by itself (applying it would delete every unprotected backup). */
export function isEmptyPolicy(policy: TRetentionPolicy): boolean {
  const within = policy.keepWithin === undefined ? null : parseDuration(policy.keepWithin);
  return RULES.every((r) => !policy[r.key]) && (within === null || isZeroDuration(within));
}

/**
 * Plans which backups a policy keeps and removes.
 *
 * Rules follow restic exactly: COMPLETED backups are walked newest first (equal times
 * ordered by id, where restic keeps input order); each count
 * rule keeps a backup whose bucket (hour, day, ISO week, month, year in `timezone`)
 * differs from the last bucket that rule kept, until its count is used up, so empty
 * periods do not count and the newest backup of a bucket is the one kept; a backup
 * kept by several rules counts against each; a rule with count left at the oldest
 * backup keeps it (`oldest …`). `keepWithin` keeps backups strictly younger than the
 * newest backup (not in the future) minus the duration.
 *
 * Protections, never in `remove`: the newest COMPLETED backup (`newest`), pinned ones
 * (`pinned`), PRE_RESTORE backups younger than 7 days at `now`, and RUNNING rows (kept
 * with reason `running`, they count toward no rule). FAILED and DELETED rows are in
 * neither list. An empty policy throws INVALID_INPUT.
 */
export function planRetention(
  backups: TRetentionBackup[],
  policy: TRetentionPolicy,
  { timezone, now }: { timezone: string; now: Date },
): TRetentionPlan {
  if (isEmptyPolicy(policy)) {
    throw new BackupError('INVALID_INPUT', 'A retention policy needs at least one keep rule: an empty policy would delete every backup');
  }
  const completed = backups
    .filter((b) => b.status === 'COMPLETED')
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const rules = RULES.map((r) => ({ ...r, left: policy[r.key] ?? 0, last: null as string | null }));
  const within = policy.keepWithin === undefined ? null : parseDuration(policy.keepWithin);
  // restic measures from the newest snapshot that is not in the future.
  const newestPast = completed.find((b) => b.createdAt.getTime() <= now.getTime()) ?? completed[0];
  const withinFrom = within && !isZeroDuration(within) && newestPast ? subtractDuration(newestPast.createdAt, within, timezone) : null;

  const plan: TRetentionPlan = { keep: [], remove: [] };
  completed.forEach((backup, index) => {
    const reasons: string[] = [];
    if (index === 0) reasons.push('newest');
    if (backup.pinned) reasons.push('pinned');
    if (backup.type === 'PRE_RESTORE' && now.getTime() - backup.createdAt.getTime() < SAFETY_BACKUP_PROTECTION_MS) {
      reasons.push('safety backup (younger than 7 days)');
    }
    if (withinFrom && within && backup.createdAt.getTime() > withinFrom.getTime()) reasons.push(`within ${formatDuration(within)}`);
    const oldest = index === completed.length - 1;
    for (const rule of rules) {
      if (rule.left <= 0) continue;
      const bucket = rule.kind === 'last' ? String(index) : bucketKey(rule.kind, backup.createdAt, timezone);
      if (bucket === rule.last && !oldest) continue;
      const label = rule.kind === 'last' ? 'last' : `${rule.kind} ${bucket}`;
      reasons.push(bucket === rule.last ? `oldest ${label}` : label);
      rule.last = bucket;
      rule.left--;
    }
    if (reasons.length > 0) plan.keep.push({ id: backup.id, createdAt: backup.createdAt, reasons });
    else plan.remove.push({ id: backup.id, createdAt: backup.createdAt });
  });

  for (const running of backups.filter((b) => b.status === 'RUNNING')) {
    plan.keep.push({ id: running.id, createdAt: running.createdAt, reasons: ['running'] });
  }
  plan.keep.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  return plan;
}
