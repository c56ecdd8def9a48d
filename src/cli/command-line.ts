import { type TCommand, type TInvocation, UsageError } from './command';
import { COMMANDS } from './commands';

/** Synopses longer than this get their summary on a line of its own. */
const WRAP_AT = 44;

/** The usage text, generated from the table so that it lists every command as it parses. */
export function usageOf(commands: readonly TCommand[] = COMMANDS): string {
  const lines = commands.map((command) => [`${command.name} ${command.synopsis}`.trimEnd(), command.summary] as const);
  // Long synopses (`schedule add` with its --keep-… options) put their summary on the next line instead of widening every line.
  const width = Math.min(WRAP_AT, Math.max(...lines.map(([synopsis]) => synopsis.length))) + 2;
  const needKey = commands.filter((command) => command.needsKey).map((command) => command.name);
  const needKeyList = needKey.length > 1 ? `${needKey.slice(0, -1).join(', ')} and ${needKey.at(-1)}` : needKey.join('');
  return [
    'Usage: erp-backup <command> [options]',
    '',
    'Commands:',
    ...lines.map(([synopsis, summary]) =>
      synopsis.length > WRAP_AT ? `  ${synopsis}\n  ${''.padEnd(width)}${summary}` : `  ${synopsis.padEnd(width)}${summary}`,
    ),
    '',
    'Options:',
    '  --json    print the result as JSON ({"success":true,"data":...} or {"success":false,"error":"..."})',
    '  --help    show this help',
    '',
    'Uses DATABASE_URL, or the embedded database in DATA_DIR, like the app.',
    ...(needKey.length ? [`${needKeyList} ${needKey.length > 1 ? 'need' : 'needs'} BACKUP_ENCRYPTION_KEY.`] : []),
  ].join('\n');
}

/** What a command line asks for. */
export type TCommandLine =
  /** --help: the usage on stdout, exit 0. */
  | { kind: 'help' }
  /** No command: the usage on stdout, exit 2. */
  | { kind: 'no-command' }
  /** A line that fits no command: the message and the usage on stderr, exit 2. */
  | { kind: 'usage-error'; message: string }
  | { kind: 'run'; command: TCommand; invocation: TInvocation };

/**
 * Finds the command a line names (its first words after any leading options,
 * the longest name that matches) and parses the rest with that command's own
 * options.
 */
export function parseCommandLine(argv: string[], commands: readonly TCommand[] = COMMANDS): TCommandLine {
  if (argv.includes('--help')) return { kind: 'help' };
  const start = argv.findIndex((arg) => !arg.startsWith('-'));
  if (start === -1) return { kind: 'no-command' };
  const longest = Math.max(...commands.map((command) => command.name.split(' ').length));
  const words = argv.slice(start, start + longest);
  for (let count = words.length; count > 0; count--) {
    const name = words.slice(0, count).join(' ');
    const command = commands.find((candidate) => candidate.name === name);
    if (!command) continue;
    try {
      return { kind: 'run', command, invocation: command.parse([...argv.slice(0, start), ...argv.slice(start + count)]) };
    } catch (error) {
      // parseArgs' own errors (an unknown option, a missing value) are usage errors too.
      if (error instanceof UsageError || isParseArgsError(error)) return { kind: 'usage-error', message: error.message };
      throw error;
    }
  }
  return { kind: 'usage-error', message: `unknown command "${words[0]}"` };
}

function isParseArgsError(error: unknown): error is TypeError {
  return error instanceof TypeError && 'code' in error && typeof error.code === 'string' && error.code.startsWith('ERR_PARSE_ARGS_');
}
