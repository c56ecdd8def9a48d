import { parentPort } from 'node:worker_threads';
import { CODEC_TASKS, type TCodecTaskName, transferablesOf } from './codec-tasks';

/**
 * The entry of a codec worker thread (codec-pool.ts): runs one task per
 * message and answers with its output or its error message. Built into
 * dist/cli/codec-worker.mjs with the CLI (scripts/build-cli.mjs).
 */
export interface TCodecRequest {
  id: number;
  task: TCodecTaskName;
  input: unknown;
}

export type TCodecReply = { id: number; output: unknown } | { id: number; error: { message: string; code?: string } };

const port = parentPort;
if (port) {
  port.on('message', (request: TCodecRequest) => {
    try {
      const run = CODEC_TASKS[request.task] as (input: unknown) => unknown;
      const output = run(request.input);
      port.postMessage({ id: request.id, output } satisfies TCodecReply, transferablesOf(output));
    } catch (error) {
      const { message, code } = error as { message?: string; code?: string };
      port.postMessage({ id: request.id, error: { message: message ?? String(error), code } } satisfies TCodecReply);
    }
  });
}
