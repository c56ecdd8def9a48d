import type { TPageLatency } from './web-load';
import type { TWebMemory } from './web-sampler';

const MIB = 2 ** 20;
/** Issue 13's targets for a backup started from the dashboard. */
const RSS_GROWTH_LIMIT = 64 * MIB;
const P99_RATIO_LIMIT = 2;

export interface TWebFigures {
  idle: TPageLatency[];
  during: TPageLatency[];
  /** The web server's RSS just before the click. */
  rssBefore: number;
  /** Its peak RSS under the idle load (no backup): how much the pages alone move it. */
  idlePeakRss: number;
  /** Its peak RSS under the load during the second backup (context: the pages' own growth is in it). */
  loadedPeakRss: number;
  /** Sampled during the first backup, which runs with no load. */
  memory: TWebMemory;
  /** The quiet backup (memory), then the loaded one (latency). */
  backups: { status: string; ms: number; rows: number; ranInServer: boolean }[];
  loadAverage: { idle: number[]; during: number[] };
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** The figures as a Markdown table, target lines with PASS/FAIL, and whether every target passed on a valid run. */
export function webReport(figures: TWebFigures): { text: string; passed: boolean } {
  const lines = [
    '| Page | idle p50 | idle p99 | during p50 | during p99 | p99 ratio | requests idle / during |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  const verdicts: { line: string; ok: boolean }[] = [];
  for (const idle of figures.idle) {
    const during = figures.during.find((page) => page.path === idle.path);
    if (!during) continue;
    // No answer at all (every request timed out) is no figure: that line fails.
    const measured = idle.requests > 0 && during.requests > 0;
    const ratio = measured ? during.p99 / Math.max(idle.p99, 1) : Number.NaN;
    lines.push(
      `| \`${idle.path}\` | ${ms(idle.p50)} | ${ms(idle.p99)} | ${ms(during.p50)} | ${ms(during.p99)} | ${measured ? `${ratio.toFixed(2)}×` : '–'} | ${idle.requests} / ${during.requests} |`,
    );
    verdicts.push({
      line: `p99 of ${idle.path} during the backup ≤ ${P99_RATIO_LIMIT}× idle: ${ratio.toFixed(2)}×`,
      ok: ratio <= P99_RATIO_LIMIT,
    });
  }
  const growth = figures.memory.serverPeak - figures.rssBefore;
  verdicts.unshift({ line: `web server RSS growth ≤ 64 MiB: ${mib(growth)}`, ok: growth <= RSS_GROWTH_LIMIT });
  const failures = [...figures.idle, ...figures.during].reduce((sum, page) => sum + page.failures, 0);
  const valid = figures.backups.every((backup) => backup.status === 'COMPLETED') && failures === 0;
  const text = [
    ...lines,
    '',
    `Web server RSS: ${mib(figures.rssBefore)} before the quiet backup, peak ${mib(figures.memory.serverPeak)} during it (growth ${mib(growth)}); under the page load: peak ${mib(figures.idlePeakRss)} idle, ${mib(figures.loadedPeakRss)} during the second backup.`,
    ...figures.backups.map(
      (backup, index) =>
        `Backup ${index + 1} (${index === 0 ? 'quiet' : 'under load'}): ${backup.status}, ${backup.rows.toLocaleString('en-US')} rows in ${(backup.ms / 1000).toFixed(1)} s, ${
          backup.ranInServer ? 'IN the web server process' : 'in a child process'
        }.`,
    ),
    `Backup child peak RSS (quiet backup): ${figures.memory.childPeak ? mib(figures.memory.childPeak) : 'not seen'} (pids ${figures.memory.childPids.join(', ') || 'none'}).`,
    `Load average (1, 5, 15 min): idle ${figures.loadAverage.idle.map((n) => n.toFixed(2)).join(' ')}, during ${figures.loadAverage.during
      .map((n) => n.toFixed(2))
      .join(' ')}.`,
    ...(valid
      ? []
      : [`NOT A VALID RUN: backups ${figures.backups.map((backup) => backup.status).join(', ')}, ${failures} failed request(s).`]),
    '',
    ...verdicts.map((entry) => `${verdict(entry.ok)}  ${entry.line}`),
  ].join('\n');
  return { text, passed: valid && verdicts.every((entry) => entry.ok) };
}
