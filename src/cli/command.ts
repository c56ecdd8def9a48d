import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import type { TServiceResult } from '@/lib/backup/api/result';
import type { TEnv } from '@/lib/env';

/** The backup service's public API, as the CLI gets it (imported once the environment is loaded). */
export type TBackups = typeof import('@/lib/utils/backup-service');

/** What a command's service call is given. */
export interface TCommandContext {
  backups: TBackups;
  env: TEnv;
}

/** A command line that does not fit its command: erp-backup prints the message and the usage, and exits 2. */
export class UsageError extends Error {}

/** The options every command accepts, besides its own (--help is answered before any command parses). */
export const GLOBAL_OPTIONS = {
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', default: false },
} as const satisfies ParseArgsOptionsConfig;

type TParseConfig<TOptions extends ParseArgsOptionsConfig> = {
  args: string[];
  options: TOptions & typeof GLOBAL_OPTIONS;
  allowPositionals: true;
  strict: true;
};

/** The option values `parseArgs` gives a command with these options (and the global ones). */
export type TOptionValues<TOptions extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<TParseConfig<TOptions>>>['values'];

/** One command of the table (commands.ts), with the types of its options and of its service result. */
export interface TCommandSpec<TOptions extends ParseArgsOptionsConfig, TData> {
  /** One word (`create`) or two (`schedule add`). */
  name: string;
  /** Its arguments and options as the usage shows them: `<id> --yes [--no-safety-backup]`. Lists every option. */
  synopsis: string;
  /** What it does, in the usage's words. */
  summary: string;
  /** Its own options, for `parseArgs` (--json and --help are added). */
  options: TOptions;
  /** Encrypts or decrypts: without BACKUP_ENCRYPTION_KEY it is refused (KEY_MISSING) before anything runs. */
  needsKey: boolean;
  /** Checks the positional arguments and options (throwing UsageError) and returns the service call. */
  parse(input: { args: string[]; values: TOptionValues<TOptions> }): (context: TCommandContext) => Promise<TServiceResult<TData>>;
  /** The exit code of a success: 0 unless given (a backup that fails verification, an upload left to do). A failure exits 1. */
  exitCode?(data: TData): number;
  /** The human summary of a success, printed without --json. */
  describe(data: TData): string;
}

/** What running a command produced. */
export interface TOutcome {
  /** The service result, printed as is with --json. */
  result: TServiceResult<unknown>;
  exitCode: number;
  /** The human summary of a success. */
  describe(): string;
}

/** A parsed command line, ready to run. */
export interface TInvocation {
  json: boolean;
  run(context: TCommandContext): Promise<TOutcome>;
}

/** A command of the table with its types closed over, so commands of different results share one list. */
export interface TCommand {
  name: string;
  synopsis: string;
  summary: string;
  options: ParseArgsOptionsConfig;
  needsKey: boolean;
  /** Parses what follows the command's name; throws UsageError (or parseArgs' own errors) on a bad command line. */
  parse(argv: string[]): TInvocation;
}

/** Makes a table entry from its typed spec. */
export function defineCommand<const TOptions extends ParseArgsOptionsConfig, TData>(spec: TCommandSpec<TOptions, TData>): TCommand {
  return {
    name: spec.name,
    synopsis: spec.synopsis,
    summary: spec.summary,
    options: spec.options,
    needsKey: spec.needsKey,
    parse(argv) {
      const config: TParseConfig<TOptions> = {
        args: argv,
        options: { ...spec.options, ...GLOBAL_OPTIONS },
        allowPositionals: true,
        strict: true,
      };
      const { values, positionals } = parseArgs(config);
      const call = spec.parse({ args: positionals, values });
      return {
        // TypeScript cannot see GLOBAL_OPTIONS through the generic `values`; the check is exact anyway.
        json: 'json' in values && values.json === true,
        async run(context) {
          const result = await call(context);
          if (!result.success) return { result, exitCode: 1, describe: () => result.error };
          return { result, exitCode: spec.exitCode?.(result.data) ?? 0, describe: () => spec.describe(result.data) };
        },
      };
    },
  };
}

/** The one argument of a command that takes exactly one. */
export function requireArg(args: string[], what: string): string {
  const [value, ...rest] = args;
  if (!value || rest.length > 0) throw new UsageError(`expected exactly one ${what}`);
  return value;
}

export function requireNoArgs(args: string[], command: string): void {
  if (args.length > 0) throw new UsageError(`${command} takes no arguments`);
}

/** Commands that change data run only with --yes. */
export function requireYes(yes: boolean | undefined, command: string): void {
  if (!yes) throw new UsageError(`${command} changes data: add --yes to confirm`);
}
