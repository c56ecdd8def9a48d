import { spawn } from 'node:child_process';

/**
 * Runs a command to completion and resolves with its output; rejects with
 * the last lines of that output when it fails, so a broken migration or seed
 * explains itself in the test log.
 */
export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv, cwd = process.cwd()): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output.split('\n').slice(-30).join('\n')}`));
    });
  });
}
