import { createHash, timingSafeEqual } from 'node:crypto';
import type { TBackupHealth, TServiceResult } from '@/lib/utils/backup-service';

/** What an uptime monitor sees: no ids, no file names, no data, no incident messages. */
export interface THealthBody {
  status: TBackupHealth['status'];
  reason?: string;
  lastSuccessAt: string | null;
  ageHours: number | null;
  nextRunAt: string | null;
}

const NO_STORE = { 'Cache-Control': 'no-store' };

/**
 * True when the request carries `Authorization: Bearer <token>`. Both sides
 * are hashed first, so the comparison is constant-time whatever their lengths.
 */
export function hasBearerToken(request: Request, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '');
  if (!match?.[1]) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(match[1]), digest(token));
}

/**
 * The answer of GET /api/health/backups: 200 `{status: "ok", …}` when the
 * newest backup is recent and no critical incident is open, otherwise 503
 * with `status` `stale` or `failing` and the reason; 401 without the bearer
 * token when HEALTH_TOKEN is set. A health that cannot be read (the database
 * is down) is a 503 `failing` too: a monitor must hear of it.
 */
export async function healthResponse(
  request: Request,
  options: { token?: string; health: () => Promise<TServiceResult<TBackupHealth>> },
): Promise<Response> {
  if (options.token && !hasBearerToken(request, options.token)) {
    return Response.json({ error: 'Unauthorized' }, { status: 401, headers: { ...NO_STORE, 'WWW-Authenticate': 'Bearer' } });
  }
  const health = await options.health();
  if (!health.success) {
    const body: THealthBody = {
      status: 'failing',
      reason: 'The backup status could not be read',
      lastSuccessAt: null,
      ageHours: null,
      nextRunAt: null,
    };
    return Response.json(body, { status: 503, headers: NO_STORE });
  }
  const { status, reason, lastSuccessAt, ageHours, nextRunAt } = health.data;
  const body: THealthBody =
    status === 'ok'
      ? { status, lastSuccessAt, ageHours, nextRunAt }
      : { status, reason: reason ?? status, lastSuccessAt, ageHours, nextRunAt };
  return Response.json(body, { status: status === 'ok' ? 200 : 503, headers: NO_STORE });
}
