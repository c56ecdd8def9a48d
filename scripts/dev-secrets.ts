import { ensureDevelopmentSecret } from '@/lib/dev-secrets';
import { loadEnv } from '@/lib/env';
import { loadEnvFiles } from '@/lib/env-files';

// Run by `npm run demo` before `next start` (which runs in production mode,
// where missing secrets are errors) and by `npm run dev` before `next dev`: a
// local demo or development server gets its secrets in .env.local, generated
// once and announced. This is the only place a backup key is ever generated:
// the app and the erp-backup CLI refuse to work without one (a key generated
// on a server would encrypt backups with a key nobody saved). Real
// deployments set their own.
loadEnvFiles();
const env = loadEnv();
if (!env.BACKUP_ENCRYPTION_KEY) ensureDevelopmentSecret('BACKUP_ENCRYPTION_KEY', console.log);
if (!env.SESSION_SECRET) ensureDevelopmentSecret('SESSION_SECRET', console.log);
