import { z } from 'zod';
import { parseOptions, wholeNumberArg } from '@/lib/cli-args';

/** The help text of `npm run bench:web`. */
export const BENCH_WEB_USAGE = `Usage: npm run build && npm run bench:web -- [--scale N] [--seconds S] [--connections C]

  --scale N        schools to seed (about 40,000 rows each), 1 to 200 (default 5)
  --seconds S      length of the idle measurement of each page, 3 to 120 (default 10)
  --connections C  concurrent connections per page, 1 to 50 (default 4)

Needs the production build (\`npm run build\` first) and a PostgreSQL server:
seeds a scratch database erp_bench_<random> on BENCH_DATABASE_URL (dropped at
the end), starts \`next start\` on it, signs in as the demo super administrator
in Chromium (/usr/bin/chromium, or E2E_CHROMIUM), measures the latency of / and
/admin/backups with autocannon while idle, then clicks "Create backup" twice:
with no load, sampling the web server's RSS (the memory target), and under the
idle run's load, measuring the pages' latency until the backup ends (the
latency target).`;

const ZBenchWebArgs = z.object({
  scale: wholeNumberArg('--scale', 1, 200).default(5),
  seconds: wholeNumberArg('--seconds', 3, 120).default(10),
  connections: wholeNumberArg('--connections', 1, 50).default(4),
  help: z.boolean().default(false),
});

export type TBenchWebArgs = Omit<z.infer<typeof ZBenchWebArgs>, 'help'>;

/** The arguments to run with, a request for help, or what is wrong with them. */
export function parseBenchWebArgs(
  argv: readonly string[],
): { kind: 'run'; args: TBenchWebArgs } | { kind: 'help' } | { kind: 'error'; message: string } {
  const parsed = parseOptions(
    argv,
    {
      scale: { type: 'string' },
      seconds: { type: 'string' },
      connections: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    ZBenchWebArgs,
  );
  if (!parsed.ok) return { kind: 'error', message: parsed.message };
  const { help, ...args } = parsed.values;
  return help ? { kind: 'help' } : { kind: 'run', args };
}
