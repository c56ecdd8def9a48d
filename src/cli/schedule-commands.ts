import type { TRetentionPolicy } from '@/lib/utils/backup-service';
import { defineCommand, requireArg, requireNoArgs, requireYes, type TCommand, UsageError } from './command';
import { describePinned } from './format-output';
import { describePruned, describeRunDue, describeScheduleAdded, describeSchedules } from './schedule-output';

/** The --keep-… options of `schedule add` and `prune`: restic's `forget` rules (README, "Retention"). */
const KEEP_OPTIONS = {
  'keep-last': { type: 'string' },
  'keep-hourly': { type: 'string' },
  'keep-daily': { type: 'string' },
  'keep-weekly': { type: 'string' },
  'keep-monthly': { type: 'string' },
  'keep-yearly': { type: 'string' },
  'keep-within': { type: 'string' },
} as const;
const KEEP_SYNOPSIS =
  '[--keep-last N] [--keep-hourly N] [--keep-daily N] [--keep-weekly N] [--keep-monthly N] [--keep-yearly N] [--keep-within 30d]';

type TKeepValues = Partial<Record<keyof typeof KEEP_OPTIONS, string>>;

function count(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${option} takes a whole number, not "${value}"`);
  return Number(value);
}

/** The policy the --keep-… options give; undefined when none is given. The service checks it (and `keep-within`'s syntax). */
function policyOf(values: TKeepValues): TRetentionPolicy | undefined {
  const policy: TRetentionPolicy = {
    keepLast: count(values['keep-last'], 'keep-last'),
    keepHourly: count(values['keep-hourly'], 'keep-hourly'),
    keepDaily: count(values['keep-daily'], 'keep-daily'),
    keepWeekly: count(values['keep-weekly'], 'keep-weekly'),
    keepMonthly: count(values['keep-monthly'], 'keep-monthly'),
    keepYearly: count(values['keep-yearly'], 'keep-yearly'),
    keepWithin: values['keep-within'],
  };
  const given = Object.fromEntries(Object.entries(policy).filter(([, value]) => value !== undefined));
  return Object.keys(given).length > 0 ? (given as TRetentionPolicy) : undefined;
}

/** `--kind`: `snapshot` is a backup schedule that takes snapshots (README, "Snapshots"). */
const KINDS = {
  backup: { kind: 'BACKUP', backupKind: 'FULL' },
  snapshot: { kind: 'BACKUP', backupKind: 'INCREMENTAL' },
  drill: { kind: 'DRILL' },
  scrub: { kind: 'SCRUB' },
} as const;

function kindOf(value: string | undefined): (typeof KINDS)[keyof typeof KINDS] | Record<string, never> {
  if (value === undefined) return {};
  const kind = KINDS[value.toLowerCase() as keyof typeof KINDS];
  if (!kind) throw new UsageError(`--kind is one of backup, snapshot, drill, scrub, not "${value}"`);
  return kind;
}

/** The schedule, runner, retention and pin commands (issue 11 in the README's "Schedules and retention"). */
export const SCHEDULE_COMMANDS: readonly TCommand[] = [
  defineCommand({
    name: 'schedule list',
    synopsis: '',
    summary: 'list backup schedules with their next run, last result and retention',
    options: {},
    needsKey: false,
    parse: ({ args }) => {
      requireNoArgs(args, 'schedule list');
      return ({ backups }) => backups.listSchedules();
    },
    describe: describeSchedules,
  }),
  defineCommand({
    name: 'schedule add',
    synopsis: `--cron "<expr>" [--timezone TZ] [--name N] [--kind backup|snapshot|drill|scrub] ${KEEP_SYNOPSIS}`,
    summary: "add a schedule (5-field cron, IANA timezone, the server's by default; full backups unless --kind says otherwise)",
    options: {
      cron: { type: 'string' },
      timezone: { type: 'string' },
      name: { type: 'string' },
      kind: { type: 'string' },
      ...KEEP_OPTIONS,
    },
    needsKey: false,
    parse: ({ args, values }) => {
      requireNoArgs(args, 'schedule add');
      const { cron } = values;
      if (!cron) throw new UsageError('schedule add needs --cron "<minute hour day-of-month month day-of-week>"');
      const input = { cron, timezone: values.timezone, name: values.name, ...kindOf(values.kind), retention: policyOf(values) };
      return async ({ backups }) => {
        const added = await backups.addSchedule(input);
        return added.success ? { success: true, data: { id: added.data.id, nextRunAt: added.data.nextRunAt } } : added;
      };
    },
    describe: describeScheduleAdded,
  }),
  defineCommand({
    name: 'schedule remove',
    synopsis: '<id> --yes',
    summary: 'remove a schedule (the backups it made stay)',
    options: { yes: { type: 'boolean', default: false } },
    needsKey: false,
    parse: ({ args, values }) => {
      const id = requireArg(args, 'schedule id');
      requireYes(values.yes, 'schedule remove');
      return ({ backups }) => backups.removeSchedule(id);
    },
    describe: (result) => `Schedule ${result.id} removed.`,
  }),
  defineCommand({
    name: 'scheduler',
    synopsis: '',
    summary: 'run the schedules in the foreground until SIGTERM/SIGINT',
    options: {},
    needsKey: true,
    parse: ({ args }) => {
      requireNoArgs(args, 'scheduler');
      return ({ backups }) =>
        backups.runScheduler({
          // One line per slot worked on, as it happens (stderr: with --json, stdout holds only the final result).
          onPass: (result) => {
            if (result.runs.length > 0) process.stderr.write(`${describeRunDue(result)}\n`);
          },
        });
    },
    describe: (summary) => `Scheduler stopped (${summary.stoppedBy}) after ${summary.passes} pass(es) and ${summary.runs} run(s).`,
  }),
  defineCommand({
    name: 'run-due',
    synopsis: '',
    summary: 'run what is due now (catch-up included), then exit: for cron or a Kubernetes CronJob',
    options: {},
    needsKey: true,
    parse: ({ args }) => {
      requireNoArgs(args, 'run-due');
      return ({ backups }) => backups.runDueSchedules();
    },
    // A slot that failed for good is a failure of this run; one retried later is not (yet).
    exitCode: (result) => (result.runs.some((run) => run.status === 'FAILED') ? 1 : 0),
    describe: describeRunDue,
  }),
  defineCommand({
    name: 'prune',
    synopsis: `[--schedule <id> | ${KEEP_SYNOPSIS}] [--timezone TZ] [--dry-run]`,
    summary: "apply a schedule's retention policy, or the given one to backups no schedule made",
    options: {
      schedule: { type: 'string' },
      timezone: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      ...KEEP_OPTIONS,
    },
    needsKey: false,
    parse: ({ args, values }) => {
      requireNoArgs(args, 'prune');
      const policy = policyOf(values);
      if (values.schedule && policy) throw new UsageError('give either --schedule or --keep-… rules, not both');
      if (!values.schedule && !policy) throw new UsageError('give --schedule <id> or at least one --keep-… rule');
      const input = { scheduleId: values.schedule, policy, timezone: values.timezone, dryRun: values['dry-run'] };
      return ({ backups }) => backups.pruneBackups(input);
    },
    exitCode: (result) => (result.failed.length > 0 ? 1 : 0),
    describe: describePruned,
  }),
  defineCommand({
    name: 'pin',
    synopsis: '<id>',
    summary: 'keep a backup out of every retention policy',
    options: {},
    needsKey: false,
    parse: ({ args }) => {
      const id = requireArg(args, 'backup id');
      return ({ backups }) => backups.setBackupPinned(id, true);
    },
    describe: describePinned,
  }),
  defineCommand({
    name: 'unpin',
    synopsis: '<id>',
    summary: 'let retention policies consider a pinned backup again',
    options: {},
    needsKey: false,
    parse: ({ args }) => {
      const id = requireArg(args, 'backup id');
      return ({ backups }) => backups.setBackupPinned(id, false);
    },
    describe: describePinned,
  }),
];
