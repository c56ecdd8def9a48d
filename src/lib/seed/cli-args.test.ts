import { describe, expect, it } from 'vitest';
import { parseSeedArgs } from './cli-args';
import { DEFAULT_SEED } from './random';

describe('db:seed arguments', () => {
  it('default to one school, the default seed and no reset', () => {
    expect(parseSeedArgs([])).toEqual({ kind: 'run', args: { scale: 1, seed: DEFAULT_SEED, reset: false } });
  });

  it('accept --scale, --seed and --reset in either spelling', () => {
    expect(parseSeedArgs(['--scale', '40', '--seed=7', '--reset'])).toEqual({ kind: 'run', args: { scale: 40, seed: 7, reset: true } });
    expect(parseSeedArgs(['--scale=200', '--seed', '4294967295'])).toEqual({
      kind: 'run',
      args: { scale: 200, seed: 4294967295, reset: false },
    });
  });

  it('ask for help with --help or -h', () => {
    expect(parseSeedArgs(['--help'])).toEqual({ kind: 'help' });
    expect(parseSeedArgs(['-h', '--scale', '3'])).toEqual({ kind: 'help' });
  });

  it.each([
    [['--scale', '0'], /--scale must be at least 1/],
    [['--scale', '201'], /--scale must be at most 200/],
    [['--scale', '1.5'], /--scale must be a whole number/],
    [['--scale', 'ten'], /--scale must be a whole number/],
    [['--scale=-3'], /--scale must be a whole number/],
    [['--seed', '4294967296'], /--seed must be at most 4294967295/],
    [['--scale'], /argument missing/],
    [['--schools', '3'], /Unknown option '--schools'/],
    [['40'], /Unexpected argument '40'/],
  ])('reject %j with a message', (argv, message) => {
    const parsed = parseSeedArgs(argv);
    expect(parsed.kind).toBe('error');
    expect(parsed.kind === 'error' && parsed.message).toMatch(message);
  });
});
