import { ensureDevelopmentSecret } from '@/lib/dev-secrets';
import { loadEnv } from '@/lib/env';
import { loadEnvFiles } from '@/lib/env-files';

// Run by `npm run demo` before `next start` (which runs in production mode,
// where missing secrets are errors): a local demo gets development secrets in
// .env.local, generated once and announced. Real deployments set their own.
loadEnvFiles();
const env = loadEnv();
if (!env.BACKUP_ENCRYPTION_KEY) ensureDevelopmentSecret('BACKUP_ENCRYPTION_KEY', console.log);
if (!env.SESSION_SECRET) ensureDevelopmentSecret('SESSION_SECRET', console.log);
