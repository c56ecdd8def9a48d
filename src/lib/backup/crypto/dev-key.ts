import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Development convenience only: when no key is configured outside production,
 * the first run of the demo or the CLI writes a fresh random key into
 * `.env.local` (which Next.js and the CLI load) and says so loudly. Production
 * never gets here: a missing key is an error there.
 */
export function ensureDevelopmentKey(projectDir: string, log: (message: string) => void): string {
  const envFile = path.join(projectDir, '.env.local');
  const existing = fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '';
  const match = /^BACKUP_ENCRYPTION_KEY=([0-9a-fA-F]{64})\s*$/m.exec(existing);
  if (match?.[1]) return match[1];
  const key = randomBytes(32).toString('hex');
  const separator = existing && !existing.endsWith('\n') ? '\n' : '';
  fs.writeFileSync(
    envFile,
    `${existing}${separator}# Generated for development on ${new Date().toISOString()}. Back it up: backups cannot be restored without it.\nBACKUP_ENCRYPTION_KEY=${key}\n`,
    {
      mode: 0o600,
    },
  );
  log(
    [
      '',
      '!!! No BACKUP_ENCRYPTION_KEY was set, so a new development key was written to .env.local.',
      '!!! Backups made with it can only be restored with it: copy it somewhere safe.',
      '!!! In production set BACKUP_ENCRYPTION_KEY yourself; it is never generated there.',
      '',
    ].join('\n'),
  );
  return key;
}
