import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startCli } from '@/test/cli-process';
import type { TCommandContext } from './command';
import { parseCommandLine, usageOf } from './command-line';
import { COMMANDS } from './commands';

/** A valid command line of each command that needs the key: it must be refused for the key, not for its usage. */
const NEEDS_KEY_LINES: Record<string, string[]> = {
  create: ['create'],
  verify: ['verify', 'cmwx3gdpg0000547dvc7iix2z'],
  restore: ['restore', 'cmwx3gdpg0000547dvc7iix2z', '--yes'],
  'restore-file': ['restore-file', '/dev/null', '--yes'],
  scrub: ['scrub'],
  gc: ['gc', '--dry-run'],
  'rebuild-index': ['rebuild-index'],
  drill: ['drill'],
  scheduler: ['scheduler'],
  'run-due': ['run-due'],
};

describe('the command table', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-commands-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('generates the usage: every command with its synopsis and summary, and which ones need the key', () => {
    const usage = usageOf();
    const lines = usage.split('\n');
    for (const command of COMMANDS) {
      const synopsis = `  ${command.name} ${command.synopsis}`.trimEnd();
      // A long synopsis has its summary on the next line.
      const entries = lines.map((line, index) => (line === synopsis ? `${line} ${lines[index + 1]}` : line));
      expect(
        entries.filter((entry) => entry.startsWith(`${synopsis} `) && entry.endsWith(`  ${command.summary}`)),
        command.name,
      ).toHaveLength(1);
    }
    expect(usage).toContain(
      'create, verify, restore, restore-file, scrub, gc, rebuild-index, drill, scheduler and run-due need BACKUP_ENCRYPTION_KEY.',
    );
  });

  it("shows every command's own options in its synopsis", () => {
    for (const command of COMMANDS) {
      for (const option of Object.keys(command.options)) expect(command.synopsis, command.name).toContain(`--${option}`);
    }
  });

  it('parses options per command: one command accepts what another refuses', () => {
    expect(parseCommandLine(['create', '--models', 'School,Student', '--json'])).toMatchObject({
      kind: 'run',
      command: { name: 'create' },
      invocation: { json: true },
    });
    expect(parseCommandLine(['list', '--models', 'School'])).toEqual({
      kind: 'usage-error',
      message: expect.stringContaining("Unknown option '--models'"),
    });
    expect(parseCommandLine(['delete', 'cmwx3gdpg0000547dvc7iix2z'])).toEqual({
      kind: 'usage-error',
      message: 'delete changes data: add --yes to confirm',
    });
    expect(parseCommandLine(['--json', 'list'])).toMatchObject({ kind: 'run', command: { name: 'list' }, invocation: { json: true } });
    expect(parseCommandLine(['list', '--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--json'])).toEqual({ kind: 'no-command' });
    expect(parseCommandLine(['frobnicate'])).toEqual({ kind: 'usage-error', message: 'unknown command "frobnicate"' });
  });

  it('finds two-word commands, each with options of its own', () => {
    expect(parseCommandLine(['schedule', 'remove', 'cmwx3gdpg0000547dvc7iix2z', '--yes'])).toMatchObject({
      kind: 'run',
      command: { name: 'schedule remove' },
    });
    expect(parseCommandLine(['schedule', 'add', '--cron', '0 2 * * *', '--keep-daily', '7'])).toMatchObject({
      kind: 'run',
      command: { name: 'schedule add' },
    });
    // --cron is schedule add's, not schedule remove's.
    expect(parseCommandLine(['schedule', 'remove', 'cmwx3gdpg0000547dvc7iix2z', '--cron', 'x'])).toMatchObject({ kind: 'usage-error' });
    expect(parseCommandLine(['schedule'])).toEqual({ kind: 'usage-error', message: 'unknown command "schedule"' });
    expect(parseCommandLine(['schedule', 'add', '--keep-daily', 'seven', '--cron', '0 2 * * *'])).toEqual({
      kind: 'usage-error',
      message: '--keep-daily takes a whole number, not "seven"',
    });
    expect(parseCommandLine(['prune', '--schedule', 'cmwx3gdpg0000547dvc7iix2z', '--keep-last', '1'])).toEqual({
      kind: 'usage-error',
      message: 'give either --schedule or --keep-… rules, not both',
    });
    expect(usageOf()).toMatch(/^ {2}schedule remove <id> --yes +remove a schedule/m);
  });

  it('schedule add --kind maps to the schedule kind and the backup kind the service takes', async () => {
    const added: unknown[] = [];
    const backups = {
      addSchedule: async (input: unknown) => {
        added.push(input);
        return { success: true, data: { id: 'cmwx3gdpg0000547dvc7iix2z', nextRunAt: '2027-01-12T02:00:00.000Z' } };
      },
    } as unknown as TCommandContext['backups'];
    for (const kind of ['snapshot', 'Backup', 'drill']) {
      const parsed = parseCommandLine(['schedule', 'add', '--cron', '0 2 * * *', '--kind', kind]);
      if (parsed.kind !== 'run') throw new Error(`schedule add --kind ${kind} did not parse: ${JSON.stringify(parsed)}`);
      await parsed.invocation.run({ backups, env: {} as TCommandContext['env'] });
    }
    expect(added).toMatchObject([
      { cron: '0 2 * * *', kind: 'BACKUP', backupKind: 'INCREMENTAL' },
      { kind: 'BACKUP', backupKind: 'FULL' },
      { kind: 'DRILL' },
    ]);
    expect(added[2]).not.toHaveProperty('backupKind');
    expect(parseCommandLine(['schedule', 'add', '--cron', '0 2 * * *', '--kind', 'incremental'])).toEqual({
      kind: 'usage-error',
      message: '--kind is one of backup, snapshot, drill, scrub, not "incremental"',
    });
  });

  // The compiled CLI, through the bin, as an operator runs it.
  it('exits 2 with the usage on an unknown command', async () => {
    const run = await startCli({ env: {}, cwd: tmp }, 'frobnicate').done;
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`erp-backup: unknown command "frobnicate"\n\n${usageOf()}\n`);
  });

  it('refuses every command that needs the key, without one, with KEY_MISSING before anything runs', async () => {
    expect(Object.keys(NEEDS_KEY_LINES).sort()).toEqual(
      COMMANDS.filter((command) => command.needsKey)
        .map((command) => command.name)
        .sort(),
    );
    // No database is configured: a command that got past the check would fail otherwise.
    for (const line of Object.values(NEEDS_KEY_LINES)) {
      const run = await startCli({ env: { DATA_DIR: path.join(tmp, 'no-data') }, cwd: tmp }, ...line, '--json').done;
      expect(run.code, line.join(' ')).toBe(1);
      expect(JSON.parse(run.stdout), line.join(' ')).toMatchObject({ success: false, code: 'KEY_MISSING' });
    }
    expect(fs.existsSync(path.join(tmp, 'no-data'))).toBe(false);
  });
});
