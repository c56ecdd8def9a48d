import { constants } from 'node:os';

/** The signals that stop erp-backup cleanly; the bin wrapper forwards the same ones. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;
export type TStopSignal = (typeof STOP_SIGNALS)[number];

/** How long a stop request waits for the running operation to record its failure and release the lock. */
const GRACE_MS = 10_000;
/**
 * A repeat of the first signal this soon is the same request, not a second
 * one: a terminal's Ctrl-C (or a `kill` of the whole process group) reaches
 * both the bin wrapper, which forwards it, and this process.
 */
const SAME_REQUEST_MS = 1_000;

/** The exit code of a process ended by a signal, as shells report it: 128 + its number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

export interface TStopHandlers {
  /** The first request: make the running operation fail at its next checkpoint, so it records its own failure. */
  stop(reason: string): void;
  /** A second signal came, or the operation did not end within the grace period: report and exit now. */
  abandon(signal: TStopSignal, why: string): void;
}

/**
 * Stops the CLI (or a backup child process of the web server) cleanly on
 * SIGINT, SIGTERM, SIGHUP or SIGQUIT, and when the bin wrapper (or the web
 * server) that started it dies, even by SIGKILL, which it cannot forward
 * (the IPC channel between them closes). Returns what asked this process to
 * stop, if anything: the signal, for the exit code, and why, for the result.
 */
export function handleStopSignals(
  handlers: TStopHandlers,
  /** What started this process, for the reason given when it dies (the bin wrapper, or the web server for a backup child). */
  starter = 'the erp-backup command',
): () => { signal: TStopSignal; reason: string } | null {
  let first: { signal: TStopSignal; reason: string; at: number } | null = null;
  const request = (signal: TStopSignal, reason: string) => {
    if (first) {
      if (signal === first.signal && Date.now() - first.at < SAME_REQUEST_MS) return;
      handlers.abandon(signal, `${signal} came while it was stopping`);
      return;
    }
    first = { signal, reason, at: Date.now() };
    handlers.stop(reason);
    // Deliberately not unref'd: an operation stuck where it never reaches a checkpoint must still end in an exit.
    setTimeout(() => handlers.abandon(signal, `${reason}, but the operation did not stop within ${GRACE_MS / 1000} s`), GRACE_MS);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => request(signal, `stopped by ${signal}`));
  // Started with an IPC channel (by the bin wrapper): it closes when the wrapper dies.
  if (typeof process.send === 'function') {
    const parentGone = () => request('SIGTERM', `stopped because ${starter} that started it was killed`);
    // It may have closed already, while this module was loading.
    if (!process.connected) parentGone();
    else {
      process.on('disconnect', parentGone);
      // Listening refs the channel; it must not be what keeps this process alive.
      process.channel?.unref();
    }
  }
  return () => first && { signal: first.signal, reason: first.reason };
}
