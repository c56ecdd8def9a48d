import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEnv } from '@/lib/env';
import { MISSING_SESSION_SECRET_MESSAGE, resolveSessionSecret } from './session-secret';

const CONFIGURED = 'a-configured-secret-of-at-least-32-characters';

describe('resolveSessionSecret', () => {
  let projectDir: string;
  let logs: string[];
  const options = () => ({ projectDir, log: (message: string) => logs.push(message) });
  const envFile = () => path.join(projectDir, '.env.local');

  beforeEach(() => {
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'session-secret-'));
    logs = [];
  });
  afterEach(() => {
    fs.rmSync(projectDir, { recursive: true, force: true });
  });

  it('uses a configured secret everywhere, and the environment rejects a short one at start-up', () => {
    for (const NODE_ENV of ['development', 'test', 'production']) {
      expect(resolveSessionSecret(loadEnv({ NODE_ENV, SESSION_SECRET: CONFIGURED }), options())).toBe(CONFIGURED);
    }
    expect(() => loadEnv({ SESSION_SECRET: 'x'.repeat(31) })).toThrow('SESSION_SECRET: must be at least 32 characters');
    expect(fs.existsSync(envFile())).toBe(false);
  });

  it('refuses to run in production without one, saying what to set', () => {
    expect(() => resolveSessionSecret(loadEnv({ NODE_ENV: 'production' }), options())).toThrow(MISSING_SESSION_SECRET_MESSAGE);
    expect(fs.existsSync(envFile())).toBe(false);
  });

  it('gives tests a random secret and writes nothing', () => {
    const env = loadEnv({ NODE_ENV: 'test' });
    const first = resolveSessionSecret(env, options());
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(resolveSessionSecret(env, options())).not.toBe(first);
    expect(fs.existsSync(envFile())).toBe(false);
  });

  it('in development generates one into .env.local once, loudly, and reuses it', () => {
    fs.writeFileSync(envFile(), 'BACKUP_ENCRYPTION_KEY=abc\n');
    const env = loadEnv({ NODE_ENV: 'development' });
    const secret = resolveSessionSecret(env, options());
    expect(secret.length).toBeGreaterThanOrEqual(32);
    const written = fs.readFileSync(envFile(), 'utf8');
    expect(written).toMatch(new RegExp(`^BACKUP_ENCRYPTION_KEY=abc\\n# Generated .*\\nSESSION_SECRET=${secret}\\n$`));
    expect(logs.join('\n')).toContain('!!! No SESSION_SECRET was set');

    // A server started before the file had it finds it there instead of making another.
    expect(resolveSessionSecret(env, options())).toBe(secret);
    expect(logs.at(-1)).toContain('using the development secret kept in .env.local');
    expect(fs.readFileSync(envFile(), 'utf8')).toBe(written);
  });

  it('falls back to an in-memory secret, and says so, when .env.local cannot be written', () => {
    const unwritable = { ...options(), projectDir: path.join(projectDir, 'missing-dir') };
    const secret = resolveSessionSecret(loadEnv({}), unwritable);
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(logs.at(-1)).toMatch(/^Could not keep a development SESSION_SECRET .*random in-memory secret/);
  });
});
