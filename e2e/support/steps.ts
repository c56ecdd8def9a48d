/**
 * A minimal sequential step runner for the browser scenario: each step is
 * logged with its duration; after the first failure the remaining steps are
 * skipped (they depend on the earlier ones), and `finish` prints the closing
 * "N passed, N failed" line and returns the exit code.
 */
export class StepRunner {
  private passed = 0;
  private failed = 0;
  private skipped: string[] = [];
  private readonly startedAt = Date.now();

  /** Logs a line prefixed with the seconds since the run started. */
  log(message: string): void {
    console.log(`[${((Date.now() - this.startedAt) / 1000).toFixed(1).padStart(6)}s] ${message}`);
  }

  /** Runs `fn` as a named step unless an earlier step failed. */
  async step(name: string, fn: () => Promise<void>): Promise<void> {
    if (this.failed) {
      this.skipped.push(name);
      return;
    }
    this.log(`▶ ${name}`);
    const started = Date.now();
    try {
      await fn();
      this.passed += 1;
      this.log(`✔ ${name} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
    } catch (error) {
      this.failed += 1;
      this.log(`✘ ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  /** Records a failure that happened outside a step (e.g. in the cleanup). */
  fail(name: string, error: unknown): void {
    this.failed += 1;
    this.log(`✘ ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }

  get hasFailed(): boolean {
    return this.failed > 0;
  }

  /** Prints the summary; returns the process exit code. */
  finish(): number {
    if (this.skipped.length) this.log(`skipped after the failure: ${this.skipped.join('; ')}`);
    console.log(`\n${this.passed} passed, ${this.failed} failed`);
    return this.failed ? 1 : 0;
  }
}

/** Throws `message` unless `condition` holds. */
export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
