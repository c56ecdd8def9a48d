import { z } from 'zod';
import { parseOptions, wholeNumberArg } from '@/lib/cli-args';

/** The help text of `npm run bench`. */
export const BENCH_USAGE = `Usage: npm run bench -- [--scale N[,N…]] [--runs R] [--workers W[,W…]] [--skip-pg-dump] [--drill] [--cpu-prof DIR]
       npm run bench -- --snapshots [--days N] [--day scattered|recent] [--chunk-kib K] [--scale N[,N…]] [--workers W] [--cpu-prof DIR]

  --scale N        schools to seed (about 40,000 rows each), 1 to 200 (default 1); a list (20,40)
                   measures each scale on a database of its own and compares their peak RSS
  --workers W      time the create with each number of worker threads listed (1,2), 1 to 64
                   (default: one create with BACKUP_WORKERS, one worker per core)
  --runs R         create + restore rounds over the seeded data, 1 to 20 (default 1)
  --skip-pg-dump   do not time pg_dump / pg_restore for comparison
  --drill          also time a restore drill of each backup (into a throwaway database)
  --cpu-prof DIR   write a V8 CPU profile of each create and restore child process into DIR
  --snapshots      issue 14's snapshot run instead: a full create, a first snapshot, then N
                   simulated school days with a snapshot after each, and a restore of the last
  --days N         school days of --snapshots, 1 to 365 (default 30)
  --day D          with --snapshots: where a day's updates and deletes fall, scattered (anywhere
                   in the history, the default and the worst case) or recent (the newest rows)
  --chunk-kib K    with --snapshots: chunks of K KiB on average (K/4 to 4K) instead of the
                   format's 1 MiB, 16 to 4096: to see what the chunk size does to stored bytes

Runs on a scratch database created on the PostgreSQL server named by
BENCH_DATABASE_URL (dropped at the end), else on an embedded PGlite in a
temporary directory (removed at the end).`;

/** A comma-separated list of whole numbers, each in [min, max]. */
const wholeNumberListArg = (name: string, min: number, max: number) =>
  z
    .string()
    .transform((text) => text.split(','))
    .pipe(z.array(wholeNumberArg(name, min, max)).min(1));

const ZBenchArgs = z.object({
  scale: wholeNumberListArg('--scale', 1, 200).default([1]),
  workers: wholeNumberListArg('--workers', 1, 64).optional(),
  runs: wholeNumberArg('--runs', 1, 20).default(1),
  'skip-pg-dump': z.boolean().default(false),
  drill: z.boolean().default(false),
  snapshots: z.boolean().default(false),
  days: wholeNumberArg('--days', 1, 365).optional(),
  'chunk-kib': wholeNumberArg('--chunk-kib', 16, 4096).optional(),
  day: z.enum(['scattered', 'recent'], { error: '--day is scattered or recent' }).optional(),
  'cpu-prof': z.string().min(1, '--cpu-prof needs a directory').optional(),
  help: z.boolean().default(false),
});

export interface TBenchArgs {
  /** The scales to measure, each on a scratch database of its own. */
  scales: number[];
  /** Worker counts to time the create with; empty: one create with the default. */
  workers: number[];
  runs: number;
  skipPgDump: boolean;
  /** Also time a restore drill of each backup. */
  drill: boolean;
  /** Where the children write CPU profiles; no profiling when absent. */
  cpuProfDir: string | undefined;
  /** School days of the snapshot run (issue 14); null: the create + restore rounds (issue 13). */
  snapshotDays: number | null;
  /** Average chunk size of the snapshot run, in KiB; null: the format's default. */
  chunkKib: number | null;
  /** Where a school day's updates and deletes fall (school-day.ts `TDayFocus`). */
  dayFocus: 'scattered' | 'recent';
}

/** The arguments to run with, a request for help, or what is wrong with them. */
export type TParsedBenchArgs = { kind: 'run'; args: TBenchArgs } | { kind: 'help' } | { kind: 'error'; message: string };

/** Parses and validates the arguments of `npm run bench`. */
export function parseBenchArgs(argv: readonly string[]): TParsedBenchArgs {
  const parsed = parseOptions(
    argv,
    {
      scale: { type: 'string' },
      workers: { type: 'string' },
      runs: { type: 'string' },
      'skip-pg-dump': { type: 'boolean' },
      drill: { type: 'boolean' },
      snapshots: { type: 'boolean' },
      days: { type: 'string' },
      'chunk-kib': { type: 'string' },
      day: { type: 'string' },
      'cpu-prof': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    ZBenchArgs,
  );
  if (!parsed.ok) return { kind: 'error', message: parsed.message };
  const { help, scale, runs, workers, snapshots, days } = parsed.values;
  const chunkKib = parsed.values['chunk-kib'];
  if (help) return { kind: 'help' };
  if (days !== undefined && !snapshots) return { kind: 'error', message: '--days needs --snapshots' };
  if (chunkKib !== undefined && !snapshots) return { kind: 'error', message: '--chunk-kib needs --snapshots' };
  if (parsed.values.day !== undefined && !snapshots) return { kind: 'error', message: '--day needs --snapshots' };
  return {
    kind: 'run',
    args: {
      scales: scale,
      workers: workers ?? [],
      runs,
      skipPgDump: parsed.values['skip-pg-dump'],
      drill: parsed.values.drill,
      cpuProfDir: parsed.values['cpu-prof'],
      snapshotDays: snapshots ? (days ?? 30) : null,
      chunkKib: chunkKib ?? null,
      dayFocus: parsed.values.day ?? 'scattered',
    },
  };
}
