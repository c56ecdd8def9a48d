import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project directory, for the files a process starts beside itself (the
 * backup child, the codec workers, the project's own Node): the nearest
 * folder above this module that holds the project's bin/ (this module may be
 * in src/, in the CLI bundle under dist/cli/ or in Next's output under
 * .next/), else above the working directory (`next start` and the npm
 * scripts run in the project), else the working directory itself.
 */
export function projectRoot(): string {
  return rootAbove(moduleDir()) ?? rootAbove(process.cwd()) ?? process.cwd();
}

function rootAbove(start: string | null): string | null {
  if (start === null) return null;
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(/* turbopackIgnore: true */ dir, 'bin', 'backup-process.mjs'))) return dir;
    if (path.dirname(dir) === dir) return null;
  }
}

function moduleDir(): string | null {
  try {
    return path.dirname(fileURLToPath(import.meta.url));
  } catch {
    // A bundler that gives modules no file URL: the working directory decides.
    return null;
  }
}
