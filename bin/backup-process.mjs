// How a backup process (the erp-backup CLI, and the benchmark that measures
// it) runs Node. Its live data is small (a page of rows, a few gzip blocks),
// but V8 collects garbage late, so without a cap the heap grows to several
// hundred MiB of garbage. A 128 MiB old space and small semi-spaces keep the
// peak RSS of a scale-40 backup or restore under 256 MiB (docs/benchmark.md);
// one malloc arena stops the gzip threads from each keeping their own.
// A school storing single files of tens of megabytes can raise the cap with
// ERP_BACKUP_HEAP_MB (read here because it must be known before Node starts).

/** @param {Record<string, string | undefined>} env */
export function backupProcessExecArgv(env) {
  const heapMb = Number.parseInt(env.ERP_BACKUP_HEAP_MB ?? '', 10);
  return [
    `--max-old-space-size=${Number.isFinite(heapMb) && heapMb >= 64 ? heapMb : 128}`,
    '--max-semi-space-size=4',
    '--conditions=react-server',
  ];
}

/** @param {Record<string, string | undefined>} env */
export function backupProcessEnv(env) {
  return { ...env, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX ?? '1' };
}
