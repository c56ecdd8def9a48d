import type { TChildSuccess } from './protocol';
import type { TSnapshotFigures } from './snapshot-run';

/** Issue 14's limits. */
const FIRST_TIME_RATIO = 1.2;
const DAY_STORED_RATIO = 0.05;
const DAY_TIME_RATIO = 0.5;
const TOTAL_STORED_RATIO = 2;
const RSS_LIMIT_BYTES = 256 * 1024 * 1024;

const MIB = 1024 * 1024;
const mib = (bytes: number) => (bytes / MIB).toFixed(2);
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(2)}%`;
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

function markdownTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

const stored = (op: TChildSuccess) => op.storedBytes ?? 0;
/** First snapshot plus every daily one: what the snapshots wrote in total. */
const totalStored = (f: TSnapshotFigures) => stored(f.first) + f.days.reduce((sum, d) => sum + stored(d.snapshot), 0);

/** Days shown in the table: a few early ones, then every tenth and the last. */
const SHOWN_DAYS = new Set([1, 2, 5, 10, 20, 30]);

/** The full create, the first snapshot and some days, one row each, then the daily medians and the totals. */
export function snapshotTable(f: TSnapshotFigures): string {
  const fullBytes = f.full.sizeBytes ?? 0;
  const head = [
    'operation',
    'rows changed',
    'wall s',
    '× full time',
    'Node CPU s',
    '× full CPU',
    'stored MiB',
    '% of full size',
    'chunks new',
    'chunks reused',
    'peak RSS MiB',
  ];
  const row = (label: string, changed: string, op: TChildSuccess) => [
    label,
    changed,
    seconds(op.wallMs),
    (op.wallMs / f.full.wallMs).toFixed(2),
    seconds(op.cpuMs),
    (op.cpuMs / f.full.cpuMs).toFixed(2),
    mib(stored(op)),
    percent(stored(op), fullBytes),
    String(op.chunksNew ?? '–'),
    String(op.chunksReused ?? '–'),
    mib(op.memory.peakRss),
  ];
  const rows = [
    [
      'full create',
      '–',
      seconds(f.full.wallMs),
      '1.00',
      seconds(f.full.cpuMs),
      '1.00',
      mib(fullBytes),
      '100.00%',
      '–',
      '–',
      mib(f.full.memory.peakRss),
    ],
    row('first snapshot', '–', f.first),
  ];
  for (const d of f.days) {
    if (!SHOWN_DAYS.has(d.day) && d.day !== f.days.length) continue;
    rows.push(row(`day ${d.day} snapshot`, `+${d.change.inserted} ~${d.change.updated} -${d.change.deleted}`, d.snapshot));
  }
  if (f.days.length > 0) {
    const times = f.days.map((d) => d.snapshot.wallMs);
    const bytes = f.days.map((d) => stored(d.snapshot));
    const medianMs = median(times);
    const medianCpuMs = median(f.days.map((d) => d.snapshot.cpuMs));
    const medianBytes = median(bytes);
    rows.push([
      `median of ${f.days.length} days`,
      '',
      seconds(medianMs),
      (medianMs / f.full.wallMs).toFixed(2),
      seconds(medianCpuMs),
      (medianCpuMs / f.full.cpuMs).toFixed(2),
      mib(medianBytes),
      percent(medianBytes, fullBytes),
      String(median(f.days.map((d) => d.snapshot.chunksNew ?? 0))),
      String(median(f.days.map((d) => d.snapshot.chunksReused ?? 0))),
      mib(median(f.days.map((d) => d.snapshot.memory.peakRss))),
    ]);
  }
  const total = totalStored(f);
  rows.push([
    `total: first + ${f.days.length} days`,
    '',
    seconds(f.first.wallMs + f.days.reduce((sum, d) => sum + d.snapshot.wallMs, 0)),
    '',
    '',
    '',
    mib(total),
    percent(total, fullBytes),
    String((f.first.chunksNew ?? 0) + f.days.reduce((sum, d) => sum + (d.snapshot.chunksNew ?? 0), 0)),
    '',
    '',
  ]);
  rows.push([
    'restore of the last snapshot',
    '',
    seconds(f.restore.wallMs),
    (f.restore.wallMs / f.full.wallMs).toFixed(2),
    seconds(f.restore.cpuMs),
    '',
    '',
    '',
    '',
    '',
    mib(f.restore.memory.peakRss),
  ]);
  return markdownTable(head, rows);
}

/** What the storage directory really holds at the end. */
export function diskLine(f: TSnapshotFigures): string {
  const { chunkFiles, chunkBytes, manifests, manifestBytes } = f.disk;
  const onDisk = chunkBytes + manifestBytes;
  return `On disk at the end: chunks/ ${chunkFiles.toLocaleString('en-US')} files, ${mib(chunkBytes)} MiB; ${manifests} manifests, ${mib(manifestBytes)} MiB; together ${mib(onDisk)} MiB = ${(onDisk / (f.full.sizeBytes ?? 1)).toFixed(2)}× one full backup (${mib(f.full.sizeBytes ?? 0)} MiB).`;
}

function rssLine(who: string, f: TSnapshotFigures, peak: number): string {
  const figure = `${who}: peak RSS ${mib(peak)} MiB`;
  if (f.engine === 'PGlite') return `${figure} (the embedded database included: the 256 MiB target is for PostgreSQL)`;
  return `${figure} (≤ 256 MiB): ${verdict(peak <= RSS_LIMIT_BYTES)}`;
}

/** Issue 14's targets, one line each with PASS or FAIL. */
export function snapshotTargetVerdicts(runs: TSnapshotFigures[]): string[] {
  const lines: string[] = [];
  for (const f of runs) {
    const at = `scale ${f.scale}`;
    const fullBytes = f.full.sizeBytes ?? 0;
    const firstTime = f.first.wallMs / f.full.wallMs;
    lines.push(
      `first snapshot, ${at}: time ${firstTime.toFixed(2)}× the full create (≤ ${FIRST_TIME_RATIO}×): ${verdict(firstTime <= FIRST_TIME_RATIO)}`,
    );
    const day1 = f.days[0];
    if (day1) {
      const storedRatios = f.days.map((d) => stored(d.snapshot) / fullBytes);
      const timeRatios = f.days.map((d) => d.snapshot.wallMs / f.full.wallMs);
      const storedMedian = median(storedRatios);
      const timeMedian = median(timeRatios);
      lines.push(
        `daily snapshot, ${at}: stored ${(storedMedian * 100).toFixed(2)}% of the full backup, median of ${f.days.length} days (day 1 ${((storedRatios[0] as number) * 100).toFixed(2)}%, worst ${(Math.max(...storedRatios) * 100).toFixed(2)}%) (≤ 5%): ${verdict(storedMedian <= DAY_STORED_RATIO)}`,
      );
      lines.push(
        `daily snapshot, ${at}: time ${timeMedian.toFixed(2)}× the full create, median (day 1 ${(timeRatios[0] as number).toFixed(2)}×, worst ${Math.max(...timeRatios).toFixed(2)}×) (≤ ${DAY_TIME_RATIO}×): ${verdict(timeMedian <= DAY_TIME_RATIO)}`,
      );
      const total = totalStored(f) / fullBytes;
      lines.push(
        `first + ${f.days.length} daily snapshots, ${at}: stored ${total.toFixed(2)}× one full backup (< ${TOTAL_STORED_RATIO}×): ${verdict(total < TOTAL_STORED_RATIO)}`,
      );
    }
    const snapshotPeak = Math.max(f.first.memory.peakRss, ...f.days.map((d) => d.snapshot.memory.peakRss));
    lines.push(rssLine(`snapshots (the largest of ${f.days.length + 1}), ${at}`, f, snapshotPeak));
    lines.push(rssLine(`restore of the last snapshot, ${at}`, f, f.restore.memory.peakRss));
    lines.push(`restore of the last snapshot, ${at}: exact (digests before and after match): ${verdict(f.problems.length === 0)}`);
  }
  return lines;
}
