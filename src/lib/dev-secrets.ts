import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Development convenience only: a secret that is not configured is generated
 * once into `.env.local` (which Next.js, the CLI and the scripts load) and
 * announced loudly. Called before the demo or development server starts
 * (`scripts/dev-secrets.ts`), never by the CLI or in production, where a
 * missing secret is an error. Returns the secret (existing or new).
 */
export function ensureDevelopmentSecret(
  name: 'BACKUP_ENCRYPTION_KEY' | 'SESSION_SECRET',
  log: (message: string) => void,
  projectDir: string = process.cwd(),
): string {
  const envFile = path.join(projectDir, '.env.local');
  const existing = fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '';
  const match = new RegExp(`^${name}=([0-9a-fA-F]{64})\\s*$`, 'm').exec(existing);
  if (match?.[1]) return match[1];
  const secret = randomBytes(32).toString('hex');
  const separator = existing && !existing.endsWith('\n') ? '\n' : '';
  const note = name === 'BACKUP_ENCRYPTION_KEY' ? 'Back it up: backups cannot be restored without it.' : 'Signs login sessions.';
  fs.writeFileSync(
    envFile,
    `${existing}${separator}# Generated for development on ${new Date().toISOString()}. ${note}\n${name}=${secret}\n`,
    { mode: 0o600 },
  );
  log(
    [
      '',
      `!!! No ${name} was set, so a new development value was written to .env.local.`,
      name === 'BACKUP_ENCRYPTION_KEY' ? '!!! Backups made with it can only be restored with it: copy it somewhere safe.' : '',
      `!!! In production set ${name} yourself; it is never generated there.`,
      '',
    ]
      .filter((line, index, lines) => line !== '' || index === 0 || index === lines.length - 1)
      .join('\n'),
  );
  return secret;
}
