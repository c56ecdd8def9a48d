import type { TRetentionPolicy } from '@/lib/backup/schedule/retention';
import { parseDuration, type TRetentionDuration } from '@/lib/backup/schedule/retention-duration';

/** Display helpers for retention policies: plain functions, safe on the server and in the browser. */

const COUNTS: [key: Exclude<keyof TRetentionPolicy, 'keepWithin'>, word: string][] = [
  ['keepHourly', 'hourly'],
  ['keepDaily', 'daily'],
  ['keepWeekly', 'weekly'],
  ['keepMonthly', 'monthly'],
  ['keepYearly', 'yearly'],
];

const UNIT_WORDS: [key: keyof TRetentionDuration, word: string][] = [
  ['years', 'year'],
  ['months', 'month'],
  ['days', 'day'],
  ['hours', 'hour'],
];

/** "1y6m" → "1 year 6 months"; the text as written when it does not parse (an old audit row). */
export function durationWords(text: string): string {
  let duration: TRetentionDuration;
  try {
    duration = parseDuration(text);
  } catch {
    return text;
  }
  const parts = UNIT_WORDS.filter(([key]) => duration[key] > 0).map(
    ([key, word]) => `${duration[key]} ${word}${duration[key] === 1 ? '' : 's'}`,
  );
  return parts.length ? parts.join(' ') : '0 days';
}

/**
 * The retention policy an audit row's JSON holds, or null when it is not an
 * object. Only the known rules of the right type are read (no zod here: this
 * module also runs in the browser, where zod is kept out).
 */
export function policyOf(value: unknown): TRetentionPolicy | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const record = value as Record<string, unknown>;
  const policy: TRetentionPolicy = {};
  for (const key of ['keepLast', ...COUNTS.map(([count]) => count)] as const) {
    const count = record[key];
    if (typeof count === 'number') policy[key] = count;
  }
  if (typeof record.keepWithin === 'string') policy.keepWithin = record.keepWithin;
  return policy;
}

/**
 * A policy as a phrase: "keeps the last 3, 7 daily, 4 weekly, 12 monthly,
 * everything from the 30 days before the newest". A policy with no rule
 * keeps everything, and says so.
 */
export function retentionWords(policy: TRetentionPolicy): string {
  const parts: string[] = [];
  if (policy.keepLast) parts.push(`the last ${policy.keepLast}`);
  for (const [key, word] of COUNTS) {
    const count = policy[key];
    if (count) parts.push(`${count} ${word}`);
  }
  if (policy.keepWithin !== undefined) parts.push(`everything from the ${durationWords(policy.keepWithin)} before the newest`);
  if (!parts.length) return 'keeps every backup (no retention policy)';
  return `keeps ${parts.join(', ')}`;
}
