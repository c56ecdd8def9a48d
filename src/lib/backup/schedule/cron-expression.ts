/**
 * The cron dialect schedules accept: classic 5-field cron, as Vixie cron reads it.
 * We parse it ourselves before croner sees it, so that nothing croner would read
 * differently (seconds, years, `L`, `W`, `#`, `?`, `+`, sloppy ranges) gets in,
 * and so that the fields are at hand for descriptions and presets.
 */
/** The five fields, each as the sorted set of values it allows. */
export type TCronFields = {
  minute: number[];
  hour: number[];
  dayOfMonth: number[];
  month: number[];
  /** 0-6, Sunday is 0 (a 7 in the expression is folded to 0). */
  dayOfWeek: number[];
  /** Which fields were a bare `*` (matters for the day-of-month / day-of-week OR rule). */
  star: { minute: boolean; hour: boolean; dayOfMonth: boolean; month: boolean; dayOfWeek: boolean };
  /**
   * Vixie cron's "wildcard job": the minute or hour field starts with `*` (`*`, `*\/5`).
   * Such jobs follow real time across DST changes; the others are "fixed-time" jobs.
   */
  wildcardTime: boolean;
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Vixie's nicknames, expanded; `@reboot` has no slot and is refused. */
const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

type TFieldSpec = { name: string; min: number; max: number; names?: string[]; namesFrom?: number };

const SPECS: TFieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

class CronSyntaxError extends Error {}

function value(token: string, spec: TFieldSpec): number {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    if (n < spec.min || n > spec.max) throw new CronSyntaxError(`${spec.name} ${n} is out of range ${spec.min}-${spec.max}`);
    return n;
  }
  const index = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  if (index < 0) throw new CronSyntaxError(`"${token}" is not a valid ${spec.name}`);
  return index + (spec.namesFrom ?? 0);
}

function parseField(text: string, spec: TFieldSpec): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m || m[1] === undefined) throw new CronSyntaxError(`"${part}" is not a valid ${spec.name}`);
    const [range, stepText] = [m[1], m[2]];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronSyntaxError(`step "/${stepText}" in the ${spec.name} field must be at least 1`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [spec.min, spec.max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-', 2);
      [lo, hi] = [value(a, spec), value(b, spec)];
      if (lo > hi) throw new CronSyntaxError(`range "${range}" in the ${spec.name} field goes backwards`);
    } else {
      // Vixie cron refuses "5/15": a step needs a range or `*` before it.
      if (stepText !== undefined) throw new CronSyntaxError(`"${part}": a step needs a range or * before it (e.g. "*/${stepText}")`);
      lo = hi = value(range, spec);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * Parses a 5-field cron expression (or a Vixie nickname such as `@daily`).
 * Throws an Error whose message says what is wrong; use `ZCronExpression` for input.
 */
export function parseCronFields(expression: string): TCronFields & { normalized: string } {
  const trimmed = expression.trim().replace(/\s+/g, ' ');
  const expanded = NICKNAMES[trimmed.toLowerCase()] ?? trimmed;
  if (expanded.startsWith('@')) throw new CronSyntaxError(`"${trimmed}" has no time slots; use a 5-field expression`);
  const parts = expanded.split(' ');
  if (parts.length !== 5) {
    throw new CronSyntaxError(
      parts.length === 6 || parts.length === 7
        ? `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}; seconds and years are not supported`
        : `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`,
    );
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts.map((p, i) => parseField(p, SPECS[i] as TFieldSpec)) as [
    number[],
    number[],
    number[],
    number[],
    number[],
  ];
  const isStar = (i: number) => parts[i] === '*';
  // Vixie counts "*/2" as a star for the day-of-month / day-of-week rule (AND instead of OR);
  // other crons (croner among them) do not. Refuse the combination rather than guess.
  const [domText = '', dowText = ''] = [parts[2], parts[4]];
  const steppedStar = (t: string) => t.startsWith('*') && t !== '*';
  if ((steppedStar(domText) && dowText !== '*') || (steppedStar(dowText) && domText !== '*')) {
    throw new CronSyntaxError(
      `"${domText}" with "${dowText}": a stepped * in one day field with the other day field set is read differently by different crons`,
    );
  }
  return {
    minute,
    hour,
    dayOfMonth,
    month,
    dayOfWeek: [...new Set(dayOfWeek.map((d) => d % 7))].sort((a, b) => a - b),
    star: { minute: isStar(0), hour: isStar(1), dayOfMonth: isStar(2), month: isStar(3), dayOfWeek: isStar(4) },
    wildcardTime: (parts[0] ?? '').startsWith('*') || (parts[1] ?? '').startsWith('*'),
    normalized: parts.join(' '),
  };
}

/** Why `expression` is not an accepted cron expression, or null when it is. */
export function cronProblem(expression: string): string | null {
  try {
    parseCronFields(expression);
    return null;
  } catch (error) {
    if (error instanceof CronSyntaxError) return error.message;
    throw error;
  }
}
