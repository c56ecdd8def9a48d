import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './args';

describe('parseBenchArgs', () => {
  it('runs the create + restore rounds by default', () => {
    const parsed = parseBenchArgs(['--scale', '40']);
    expect(parsed).toMatchObject({ kind: 'run', args: { scales: [40], snapshotDays: null } });
  });

  it('takes 30 school days with --snapshots, or the days asked for', () => {
    expect(parseBenchArgs(['--snapshots'])).toMatchObject({ kind: 'run', args: { snapshotDays: 30 } });
    expect(parseBenchArgs(['--snapshots', '--days', '5', '--scale', '10'])).toMatchObject({
      kind: 'run',
      args: { scales: [10], snapshotDays: 5 },
    });
  });

  it('refuses --days without --snapshots, and days out of range', () => {
    expect(parseBenchArgs(['--days', '5'])).toEqual({ kind: 'error', message: '--days needs --snapshots' });
    expect(parseBenchArgs(['--snapshots', '--days', '0'])).toMatchObject({ kind: 'error' });
    expect(parseBenchArgs(['--snapshots', '--days', 'x'])).toMatchObject({ kind: 'error' });
  });

  it('takes an average chunk size for the snapshot run only', () => {
    expect(parseBenchArgs(['--snapshots'])).toMatchObject({ kind: 'run', args: { chunkKib: null } });
    expect(parseBenchArgs(['--snapshots', '--chunk-kib', '64'])).toMatchObject({ kind: 'run', args: { chunkKib: 64 } });
    expect(parseBenchArgs(['--chunk-kib', '64'])).toEqual({ kind: 'error', message: '--chunk-kib needs --snapshots' });
    expect(parseBenchArgs(['--snapshots', '--chunk-kib', '8'])).toMatchObject({ kind: 'error' });
  });

  it('takes where a school day’s changes fall, scattered by default', () => {
    expect(parseBenchArgs(['--snapshots'])).toMatchObject({ kind: 'run', args: { dayFocus: 'scattered' } });
    expect(parseBenchArgs(['--snapshots', '--day', 'recent'])).toMatchObject({ kind: 'run', args: { dayFocus: 'recent' } });
    expect(parseBenchArgs(['--day', 'recent'])).toEqual({ kind: 'error', message: '--day needs --snapshots' });
    expect(parseBenchArgs(['--snapshots', '--day', 'sometimes'])).toMatchObject({ kind: 'error' });
  });
});
