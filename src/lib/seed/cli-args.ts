import { z } from 'zod';
import { parseOptions, wholeNumberArg } from '@/lib/cli-args';
import { DEFAULT_SEED } from './random';

/** The help text of `npm run db:seed`. */
export const SEED_USAGE = `Usage: npm run db:seed -- [--scale N] [--seed S] [--reset]

  --scale N   number of schools of about 500 students each, 1 to 200 (default 1)
  --seed S    PRNG seed, 0 to 4294967295 (default ${DEFAULT_SEED}); the same seed gives the same data
  --reset     delete all ERP data first (backups and the audit log are kept)`;

const ZSeedArgs = z.object({
  scale: wholeNumberArg('--scale', 1, 200).default(1),
  seed: wholeNumberArg('--seed', 0, 0xffffffff).default(DEFAULT_SEED),
  reset: z.boolean().default(false),
  help: z.boolean().default(false),
});

export type TSeedArgs = Omit<z.infer<typeof ZSeedArgs>, 'help'>;

/** The arguments to run with, a request for help, or what is wrong with them. */
export type TParsedSeedArgs = { kind: 'run'; args: TSeedArgs } | { kind: 'help' } | { kind: 'error'; message: string };

/** Parses and validates the arguments of `npm run db:seed`. */
export function parseSeedArgs(argv: readonly string[]): TParsedSeedArgs {
  const parsed = parseOptions(
    argv,
    { scale: { type: 'string' }, seed: { type: 'string' }, reset: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    ZSeedArgs,
  );
  if (!parsed.ok) return { kind: 'error', message: parsed.message };
  const { help, ...args } = parsed.values;
  return help ? { kind: 'help' } : { kind: 'run', args };
}
