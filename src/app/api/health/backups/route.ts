import { loadEnv } from '@/lib/env';
import { backupHealth } from '@/lib/utils/backup-service';
import { healthResponse } from './health-response';

// Every request judges the backups as they are now; never cached or prerendered.
export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

/**
 * GET /api/health/backups, for uptime monitors and load balancers (README,
 * "Alerts and health"). No session: a monitor has none; HEALTH_TOKEN, when
 * set, guards it instead.
 */
export async function GET(request: Request): Promise<Response> {
  return healthResponse(request, { token: loadEnv().HEALTH_TOKEN, health: () => backupHealth() });
}
