import { getActiveProgress } from '@/lib/backup/process/progress';
import type { TChildMemory, TSpan } from './protocol';

/** What a sampler saw during one operation. */
export interface TSamples {
  memory: Omit<TChildMemory, 'peakRss' | 'baselineRss'>;
  phases: TSpan[];
  models: TSpan[];
}

function addSpan(spans: Map<string, number>, name: string | null | undefined, ms: number): void {
  if (name) spans.set(name, (spans.get(name) ?? 0) + ms);
}

const toSpans = (spans: Map<string, number>): TSpan[] => [...spans].map(([name, ms]) => ({ name, ms }));

/**
 * Samples the process's memory and the engine's live progress (phase and
 * current model) every `intervalMs`, attributing each interval to the phase
 * and model seen at its start. Cheap enough not to skew the timing; the
 * attribution is as precise as the interval. `stop()` is idempotent.
 */
export function startSampler(intervalMs = 100): { stop(): TSamples } {
  const memory = { peakHeapUsed: 0, peakExternal: 0 };
  const phases = new Map<string, number>();
  const models = new Map<string, number>();
  let last = performance.now();
  let lastProgress = getActiveProgress();
  const sample = () => {
    const now = performance.now();
    addSpan(phases, lastProgress?.phase, now - last);
    if (lastProgress?.phase === 'exporting' || lastProgress?.phase === 'restoring') addSpan(models, lastProgress.currentModel, now - last);
    last = now;
    lastProgress = getActiveProgress();
    const usage = process.memoryUsage();
    memory.peakHeapUsed = Math.max(memory.peakHeapUsed, usage.heapUsed);
    memory.peakExternal = Math.max(memory.peakExternal, usage.external);
  };
  const timer = setInterval(sample, intervalMs);
  let result: TSamples | null = null;
  return {
    stop() {
      if (!result) {
        clearInterval(timer);
        sample();
        result = { memory, phases: toSpans(phases), models: toSpans(models) };
      }
      return result;
    },
  };
}
