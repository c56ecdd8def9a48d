import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

/**
 * Loads `.env.local` then `.env` from the project directory into
 * `process.env` for the CLI and scripts; variables already set in the
 * environment win. The app never imports this module: Next.js loads these
 * files itself, and file reads at a run-time path in code the app imports
 * make Turbopack trace the whole project into the server build.
 */
export function loadEnvFiles(projectDir: string = process.cwd()): void {
  for (const name of ['.env.local', '.env']) {
    const file = path.join(projectDir, name);
    if (!fs.existsSync(file)) continue;
    for (const [key, value] of Object.entries(parseEnv(fs.readFileSync(file, 'utf8')))) {
      if (process.env[key] === undefined) process.env[key] = value;
    }
  }
}
