import { describeSchedule } from '@/lib/backup/schedule/describe';
import { presetCron, presetOf, presetProblem, type TSchedulePreset } from '@/lib/backup/schedule/presets';
import type { TRetentionPolicy } from '@/lib/backup/schedule/retention';
import { parseDuration } from '@/lib/backup/schedule/retention-duration';
import { nextSlots, scheduleProblems } from '@/lib/backup/schedule/slots';
import type { TScheduleView } from '@/lib/backup/scheduling/schedule-store';

/**
 * The schedule form's state and its translation to what the actions take.
 * Pure and browser-safe (no zod: it stays out of the client bundle); the
 * server checks everything again.
 */

/** What each kind of schedule does, in the dashboard's words. */
export const KIND_LABELS: Record<TScheduleView['kind'], string> = {
  BACKUP: 'Backup',
  DRILL: 'Restore drill',
  SCRUB: 'Scrub',
};

/** What a BACKUP schedule takes, in the dashboard's words (the form's choice). */
export const BACKUP_KIND_CHOICES: Record<TScheduleView['backupKind'], string> = {
  FULL: 'Full backup',
  INCREMENTAL: 'Snapshot',
};

/** What a schedule does, as its card says it: "Full backup" or "Snapshot" for a backup schedule, else its kind. */
export function scheduleKindLabel(schedule: Pick<TScheduleView, 'kind' | 'backupKind'>): string {
  return schedule.kind === 'BACKUP' ? BACKUP_KIND_CHOICES[schedule.backupKind] : KIND_LABELS[schedule.kind];
}

/** How the timing is given: one of the presets, or a cron expression. */
export type TTimingMode = TSchedulePreset['kind'] | 'advanced';

export const RETENTION_KEYS = ['keepLast', 'keepHourly', 'keepDaily', 'keepWeekly', 'keepMonthly', 'keepYearly', 'keepWithin'] as const;
export type TRetentionKey = (typeof RETENTION_KEYS)[number];

/** What the inputs hold: text, as typed. */
export interface TScheduleDraft {
  /** What the slots do; fixed once the schedule exists. */
  kind: TScheduleView['kind'];
  /** What a BACKUP schedule takes; ignored for drills and scrubs. */
  backupKind: TScheduleView['backupKind'];
  name: string;
  mode: TTimingMode;
  /** Hourly: minute past the hour. */
  minute: string;
  /** Daily and weekly: `HH:MM`. */
  time: string;
  /** Weekly: 0 (Sunday) to 6. */
  day: string;
  /** Advanced: the expression. */
  cron: string;
  timezone: string;
  retention: Record<TRetentionKey, string>;
}

/** A new schedule starts as the default one: daily at 02:00, keeping 7 daily, 4 weekly and 12 monthly backups. */
const NEW_RETENTION: TRetentionPolicy = { keepDaily: 7, keepWeekly: 4, keepMonthly: 12 };

function retentionText(policy: TRetentionPolicy): Record<TRetentionKey, string> {
  return Object.fromEntries(RETENTION_KEYS.map((key) => [key, policy[key] === undefined ? '' : String(policy[key])])) as Record<
    TRetentionKey,
    string
  >;
}

/** The form's first state: the schedule being edited (in the preset it matches, if any), or a new nightly schedule. */
export function draftOf(schedule: TScheduleView | undefined, serverTimezone: string): TScheduleDraft {
  const cron = schedule?.cron ?? '0 2 * * *';
  const preset = presetOf(cron);
  return {
    kind: schedule?.kind ?? 'BACKUP',
    backupKind: schedule?.backupKind ?? 'FULL',
    name: schedule?.name ?? '',
    mode: preset?.kind ?? 'advanced',
    minute: preset?.kind === 'hourly' ? String(preset.minute) : '0',
    time: preset && preset.kind !== 'hourly' ? preset.time : '02:00',
    day: preset?.kind === 'weekly' ? String(preset.day) : '0',
    cron,
    timezone: schedule?.timezone ?? serverTimezone,
    retention: retentionText(schedule?.retention ?? NEW_RETENTION),
  };
}

function presetOfDraft(draft: TScheduleDraft): TSchedulePreset | null {
  switch (draft.mode) {
    case 'hourly':
      return { kind: 'hourly', minute: /^\d{1,2}$/.test(draft.minute.trim()) ? Number(draft.minute) : Number.NaN };
    case 'daily':
      return { kind: 'daily', time: draft.time };
    case 'weekly':
      return { kind: 'weekly', day: Number(draft.day), time: draft.time };
    default:
      return null;
  }
}

/** The cron expression the draft's timing stands for, or why there is none. */
export function draftCron(draft: TScheduleDraft): { cron: string; error?: never } | { cron?: never; error: string } {
  const preset = presetOfDraft(draft);
  if (!preset) return draft.cron.trim() ? { cron: draft.cron.trim() } : { error: 'Type a cron expression, e.g. 0 2 * * *' };
  const problem = presetProblem(preset);
  return problem ? { error: problem } : { cron: presetCron(preset) };
}

/**
 * Switching the timing mode carries the timing over: to "Advanced", the
 * preset's expression; back to a preset, the expression's values when it is
 * one of that kind.
 */
export function withMode(draft: TScheduleDraft, mode: TTimingMode): TScheduleDraft {
  if (mode === 'advanced') {
    const current = draftCron(draft);
    return { ...draft, mode, cron: current.cron ?? draft.cron };
  }
  const preset = draft.mode === 'advanced' ? presetOf(draft.cron) : null;
  if (preset?.kind === 'hourly') return { ...draft, mode, minute: String(preset.minute) };
  if (preset?.kind === 'daily') return { ...draft, mode, time: preset.time };
  if (preset?.kind === 'weekly') return { ...draft, mode, time: preset.time, day: String(preset.day) };
  return { ...draft, mode };
}

/** What the live preview shows: the timing in words and the next runs (ISO), or what is wrong. */
export type TTimingPreview = { description: string; next: string[]; error?: never } | { error: string };

/** The live preview of a timing, at `now`; never throws (the user is typing). */
export function timingPreview(draft: TScheduleDraft, now: Date, count = 3): TTimingPreview {
  const current = draftCron(draft);
  if (current.error !== undefined) return { error: current.error };
  const schedule = { cron: current.cron, timezone: draft.timezone };
  const problems = scheduleProblems(schedule);
  if (problems.length) return { error: problems.join('; ') };
  const next = nextSlots(schedule, now, count).map((slot) => slot.toISOString());
  return { description: describeSchedule(schedule), next };
}

const LABELS: Record<TRetentionKey, string> = {
  keepLast: 'Keep last',
  keepHourly: 'Hourly',
  keepDaily: 'Daily',
  keepWeekly: 'Weekly',
  keepMonthly: 'Monthly',
  keepYearly: 'Yearly',
  keepWithin: 'Keep within',
};

/** The retention policy the draft's fields give (empty fields are rules not set), or what is wrong with a field. */
export function draftPolicy(
  draft: Pick<TScheduleDraft, 'retention'>,
): { policy: TRetentionPolicy; error?: never } | { policy?: never; error: string } {
  const policy: TRetentionPolicy = {};
  for (const key of RETENTION_KEYS) {
    const text = draft.retention[key].trim();
    if (text === '') continue;
    if (key === 'keepWithin') {
      try {
        parseDuration(text);
      } catch (error) {
        return { error: `${LABELS[key]}: ${error instanceof Error ? error.message : String(error)}` };
      }
      policy.keepWithin = text;
    } else {
      if (!/^\d{1,6}$/.test(text)) return { error: `${LABELS[key]}: give a whole number of backups (0 or more), or leave it empty` };
      policy[key] = Number(text);
    }
  }
  return { policy };
}
