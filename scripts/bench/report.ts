import type { TChildSuccess, TSpan } from './protocol';

/** Everything measured in one create + restore round. */
export interface TRunFigures {
  run: number;
  engine: string;
  scale: number;
  /** The first create (its file is the one restored). */
  create: TChildSuccess;
  /** Every create of the run, with the worker threads it had (null: the default). */
  creates: { workers: number | null; create: TChildSuccess }[];
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

const workersLabel = (workers: number | null) => (workers === null ? 'default' : String(workers));

/** One row per create (per worker count): time, size and peak RSS, against pg_dump when it ran. */
export function createsTable(runs: TRunFigures[]): string {
  const head = ['run', 'workers', 'create s', 'Node CPU s', 'file MiB', 'peak RSS MiB', 'create ratio', 'size ratio'];
  const rows = runs.flatMap((r) =>
    r.creates.map(({ workers, create }) => [
      String(r.run),
      workersLabel(workers),
      seconds(create.wallMs),
      seconds(create.cpuMs),
      mib(create.sizeBytes ?? 0),
      mib(create.memory.peakRss),
      r.pg ? ratio(create.wallMs, r.pg.dumpMs) : '–',
      r.pg ? ratio(create.sizeBytes ?? 0, r.pg.dumpBytes) : '–',
    ]),
  );
  return markdownTable(head, rows);
}

const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');

/**
 * The 256 MiB line for one operation. On PGlite the embedded database lives
 * in the measured process (its WebAssembly memory alone is several hundred
 * MiB), so the figure is shown without a verdict: the target is a backup
 * process's next to a PostgreSQL server.
 */
function rssVerdict(who: string, run: TRunFigures, op: TChildSuccess): string {
  const figure = `${who}: peak RSS ${mib(op.memory.peakRss)} MiB`;
  if (run.engine === 'PGlite') return `${figure} (the embedded database included: the 256 MiB target is for PostgreSQL)`;
  return `${figure} (≤ 256 MiB): ${verdict(op.memory.peakRss <= RSS_LIMIT_BYTES)}`;
}

/**
 * Issue 13's targets, one line each with PASS or FAIL: create time and file
 * size at most pg_dump's (each create, per worker count), restore time at
 * most pg_restore's (twice it with the safety backup), peak RSS of a create
 * and a restore at most 256 MiB, the restore exact, and, when
 * several scales were measured, the create's peak RSS at the largest scale
 * within 10% of the smallest's (same worker count).
 */
export function targetVerdicts(runs: TRunFigures[]): string[] {
  const lines: string[] = [];
  for (const r of runs) {
    const at = `scale ${r.scale}, run ${r.run}`;
    for (const { workers, create } of r.creates) {
      const who = `create (${workersLabel(workers)} workers), ${at}`;
      if (r.pg) {
        const time = create.wallMs / r.pg.dumpMs;
        const size = (create.sizeBytes ?? 0) / r.pg.dumpBytes;
        lines.push(`${who}: time ${time.toFixed(2)}× pg_dump -Fc (≤ 1.0×): ${verdict(time <= 1)}`);
        lines.push(`${who}: size ${size.toFixed(2)}× pg_dump -Fc (≤ 1.0×): ${verdict(size <= 1)}`);
      }
      lines.push(rssVerdict(who, r, create));
    }
    if (r.pg) {
      for (const { label, limit, op } of [
        { label: 'restore', limit: 1.0, op: r.restore },
        { label: 'restore with its safety backup', limit: 2.0, op: r.restoreWithSafety },
      ]) {
        if (!op) continue;
        const time = op.wallMs / r.pg.restoreMs;
        lines.push(`${label}, ${at}: time ${time.toFixed(2)}× pg_restore (≤ ${limit.toFixed(1)}×): ${verdict(time <= limit)}`);
      }
    }
    lines.push(rssVerdict(`restore, ${at}`, r, r.restore));
    lines.push(`restore, ${at}: exact (digests before and after match): ${verdict(r.verified)}`);
  }
  const scales = [...new Set(runs.map((r) => r.scale))].sort((a, b) => a - b);
  if (scales.length > 1) {
    const [small, large] = [scales[0], scales[scales.length - 1]];
    const peaks = (scale: number | undefined) => {
      const byWorkers = new Map<number | null, number>();
      for (const r of runs.filter((run) => run.scale === scale)) {
        for (const { workers, create } of r.creates) byWorkers.set(workers, Math.max(byWorkers.get(workers) ?? 0, create.memory.peakRss));
      }
      return byWorkers;
    };
    const smallPeaks = peaks(small);
    for (const [workers, largePeak] of peaks(large)) {
      const smallPeak = smallPeaks.get(workers);
      if (smallPeak === undefined) continue;
      const growth = largePeak / smallPeak - 1;
      lines.push(
        `create (${workersLabel(workers)} workers): peak RSS at scale ${large} ${mib(largePeak)} MiB vs ${mib(smallPeak)} MiB at scale ${small}, ${(growth * 100).toFixed(1)}% (≤ 10%): ${verdict(growth <= 0.1)}`,
      );
    }
  }
  return lines;
}
