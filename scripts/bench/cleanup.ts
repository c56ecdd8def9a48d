/**
 * Undo steps registered as resources are made (scratch database, temporary
 * directories, child processes) and run last-first exactly once: at the end,
 * on failure, or on Ctrl-C / SIGTERM. A failing step is reported and the
 * others still run.
 */
export interface TCleanup {
  /** Registers a step; returns a function that runs it now (once) and forgets it. */
  defer(label: string, step: () => void | Promise<void>): () => Promise<void>;
  /** Runs every registered step, last registered first; concurrent calls share one run. */
  runAll(): Promise<void>;
}

export function createCleanup(log: (message: string) => void = console.error): TCleanup {
  const steps: { label: string; step: () => void | Promise<void> }[] = [];
  const runStep = async (entry: (typeof steps)[number]) => {
    const index = steps.indexOf(entry);
    if (index === -1) return;
    steps.splice(index, 1);
    try {
      await entry.step();
    } catch (error) {
      log(`cleanup: ${entry.label} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  let running: Promise<void> | null = null;
  return {
    defer(label, step) {
      const entry = { label, step };
      steps.push(entry);
      return () => runStep(entry);
    },
    runAll() {
      running ??= (async () => {
        for (let entry = steps.at(-1); entry; entry = steps.at(-1)) await runStep(entry);
      })();
      return running;
    },
  };
}

/** Runs the cleanup and exits when the process is interrupted or told to stop. */
export function cleanupOnSignals(cleanup: TCleanup): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, cleaning up...`);
      void cleanup.runAll().finally(() => process.exit(130));
    });
  }
}
