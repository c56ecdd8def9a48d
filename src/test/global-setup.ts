// Vitest's global setup: the tests that start `erp-backup` must run the compiled CLI, as operators
// do, and never a bundle older than the sources being tested (the bin would fall back to tsx and
// say so). Built here once, before any test file, only when it is missing or stale: a developer
// who edits src/ and runs one test file gets it rebuilt in about a second.
import { ensureCliBuilt } from '../../scripts/build-cli.mjs';

export default async function setup(): Promise<void> {
  const rebuilt = await ensureCliBuilt();
  if (rebuilt) console.log(`Built the erp-backup CLI for the tests (${rebuilt}).`);
}
