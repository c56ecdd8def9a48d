import { commandLine, descendants, procMemory } from './proc-memory';

/** What the sampler saw, in bytes. */
export interface TWebMemory {
  /** The web server's RSS when the sampling started. */
  serverStart: number;
  serverPeak: number;
  /** Peak RSS (VmHWM) of the backup child processes seen, and their pids. */
  childPeak: number;
  childPids: number[];
}

/** Whether a process is a backup child of the web server (src/cli/job-child.ts, compiled or from source). */
const isBackupChild = (pid: number) => /job-child\.(mjs|ts)/.test(commandLine(pid));

/**
 * Samples the web server's RSS (/proc/<pid>/status VmRSS) and the peak RSS of
 * its backup child processes every `intervalMs` until `stop()`.
 */
export function sampleWebMemory(serverPid: number, intervalMs = 100): { stop(): TWebMemory } {
  const start = procMemory(serverPid) ?? 0;
  const memory: TWebMemory = { serverStart: start, serverPeak: start, childPeak: 0, childPids: [] };
  const sample = () => {
    memory.serverPeak = Math.max(memory.serverPeak, procMemory(serverPid) ?? 0);
    for (const pid of descendants(serverPid).filter(isBackupChild)) {
      if (!memory.childPids.includes(pid)) memory.childPids.push(pid);
      memory.childPeak = Math.max(memory.childPeak, procMemory(pid, 'VmHWM') ?? 0);
    }
  };
  const timer = setInterval(sample, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return memory;
    },
  };
}
