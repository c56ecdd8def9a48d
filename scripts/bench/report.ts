import type { TChildSuccess, TSpan } from './protocol';

/** Everything measured in one create + restore round. */
export interface TRunFigures {
  run: number;
  engine: string;
  scale: number;
  create: TChildSuccess;
  restore: TChildSuccess;
  /** The same restore with its PRE_RESTORE safety backup (null when the first did not verify). */
  restoreWithSafety: TChildSuccess | null;
  /** Size of the decrypted, decompressed JSON document. */
  plaintextBytes: number;
  verified: boolean;
  pg: { dumpMs: number; dumpBytes: number; restoreMs: number } | null;
}

/** The peak-RSS requirement at scale 40 (and below). */
const RSS_LIMIT_BYTES = 256 * 1024 * 1024;

const MIB = 1024 * 1024;
const mib = (bytes: number) => (bytes / MIB).toFixed(1);
const seconds = (ms: number) => (ms / 1000).toFixed(2);
const perSecond = (count: number, ms: number) => Math.round(count / Math.max(ms / 1000, 0.001)).toLocaleString('en-US');
const ratio = (ours: number, theirs: number) => `${(ours / theirs).toFixed(2)}×`;

function markdownTable(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** The results table: one row per run. Sizes and memory in MiB; "ratio" columns are ours / PostgreSQL's tool. */
export function resultsTable(runs: TRunFigures[]): string {
  const head = [
    'engine',
    'scale',
    'run',
    'rows',
    'create s',
    'create rows/s',
    'file MiB/s',
    'JSON MiB/s',
    'file MiB',
    'JSON MiB',
    'restore s',
    'restore rows/s',
    'peak RSS create MiB',
    'peak RSS restore MiB',
    'exact',
    'pg_dump s',
    'pg_dump MiB',
    'pg_restore s',
    'create ratio',
    'size ratio',
    'restore ratio',
  ];
  const rows = runs.map((r) => {
    const size = r.create.sizeBytes ?? 0;
    const createS = r.create.wallMs / 1000;
    return [
      r.engine,
      String(r.scale),
      String(r.run),
      r.create.rows.toLocaleString('en-US'),
      seconds(r.create.wallMs),
      perSecond(r.create.rows, r.create.wallMs),
      (size / MIB / createS).toFixed(1),
      (r.plaintextBytes / MIB / createS).toFixed(1),
      mib(size),
      mib(r.plaintextBytes),
      seconds(r.restore.wallMs),
      perSecond(r.restore.rows, r.restore.wallMs),
      mib(r.create.memory.peakRss),
      mib(r.restore.memory.peakRss),
      r.verified ? 'OK' : 'MISMATCH',
      r.pg ? seconds(r.pg.dumpMs) : '–',
      r.pg ? mib(r.pg.dumpBytes) : '–',
      r.pg ? seconds(r.pg.restoreMs) : '–',
      r.pg ? ratio(r.create.wallMs, r.pg.dumpMs) : '–',
      r.pg ? ratio(size, r.pg.dumpBytes) : '–',
      r.pg ? ratio(r.restore.wallMs, r.pg.restoreMs) : '–',
    ];
  });
  return markdownTable(head, rows);
}

const spans = (list: TSpan[], total: number, limit: number) =>
  [...list]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, limit)
    .map((span) => `${span.name} ${seconds(span.ms)} s (${Math.round((span.ms / Math.max(total, 1)) * 100)}%)`)
    .join(', ');

/** Where each operation's memory and time went: baseline vs peak memory, phases and the slowest models. */
export function detailsTable(runs: TRunFigures[]): string {
  const head = [
    'run',
    'op',
    'wall s',
    'Node CPU s',
    'baseline RSS MiB',
    'peak RSS MiB',
    'peak heap MiB',
    'peak external MiB',
    'phases',
    'slowest models',
  ];
  const rows = runs.flatMap((r) =>
    [r.create, r.restore].map((op) => [
      String(r.run),
      op.op,
      seconds(op.wallMs),
      seconds(op.cpuMs),
      mib(op.memory.baselineRss),
      mib(op.memory.peakRss),
      mib(op.memory.peakHeapUsed),
      mib(op.memory.peakExternal),
      spans(op.phases, op.wallMs, 5),
      spans(op.models, op.wallMs, 4),
    ]),
  );
  return markdownTable(head, rows);
}

/** One line per run on the peak-RSS requirement (< 256 MiB; the comparison with scale 20 needs two invocations). */
export function rssVerdicts(runs: TRunFigures[]): string[] {
  return runs.map((r) => {
    const worst = Math.max(r.create.memory.peakRss, r.restore.memory.peakRss);
    const verdict = worst < RSS_LIMIT_BYTES ? 'met' : 'MISSED';
    return `run ${r.run}: peak RSS create ${mib(r.create.memory.peakRss)} MiB, restore ${mib(r.restore.memory.peakRss)} MiB: < 256 MiB ${verdict}`;
  });
}

/** The restore targets against pg_restore of the same data: ≤ 1.0× without the safety backup, ≤ 2.0× with it. */
const RESTORE_TARGETS = [
  { label: 'restore', limit: 1.0, pick: (r: TRunFigures) => r.restore },
  { label: 'restore with its safety backup', limit: 2.0, pick: (r: TRunFigures) => r.restoreWithSafety },
];

/** One pass/fail line per run and restore target (only where pg_restore was timed). */
export function restoreVerdicts(runs: TRunFigures[]): string[] {
  return runs.flatMap((r) =>
    RESTORE_TARGETS.flatMap(({ label, limit, pick }) => {
      const op = pick(r);
      if (!r.pg || !op) return [];
      const times = op.wallMs / r.pg.restoreMs;
      return [
        `run ${r.run}: ${label} ${seconds(op.wallMs)} s vs pg_restore ${seconds(r.pg.restoreMs)} s: ${times.toFixed(2)}× ≤ ${limit.toFixed(1)}× ${times <= limit ? 'met' : 'MISSED'}`,
      ];
    }),
  );
}
