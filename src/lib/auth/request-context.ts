import 'server-only';
import { headers } from 'next/headers';
import type { TAuditContext } from '@/lib/audit/audit-log';
import { loadEnv } from '@/lib/env';
import { clientAddress, type TTrustedProxies } from './trusted-proxies';

/** Where a request came from, for the audit log. */
export interface TRequestContext {
  ipAddress: string | null;
  userAgent: string | null;
}

// Headers are client-supplied text: bounded so one request cannot bloat an audit row.
const MAX_IP_LENGTH = 64;
const MAX_USER_AGENT_LENGTH = 512;

function bounded(value: string | null | undefined, max: number): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, max) : null;
}

/**
 * Reads the client address and the user agent. The address comes only from
 * `X-Forwarded-For` as written by the configured trusted proxies (see
 * trusted-proxies.ts); without them it is null, because Next.js gives the
 * app no way to tell a client's own header from the connecting address. It
 * is for the audit trail and per-source throttles, never for access.
 */
export function requestContextFromHeaders(source: Pick<Headers, 'get'>, trusted: TTrustedProxies | undefined): TRequestContext {
  return {
    ipAddress: bounded(clientAddress(source.get('x-forwarded-for'), trusted), MAX_IP_LENGTH),
    userAgent: bounded(source.get('user-agent'), MAX_USER_AGENT_LENGTH),
  };
}

/** The current request's address and user agent (Server Components, Server Actions, Route Handlers). */
export async function getRequestContext(): Promise<TRequestContext> {
  return requestContextFromHeaders(await headers(), loadEnv().TRUSTED_PROXIES);
}

/** The audit context of an action by `actor` (null: nobody is signed in) in this request. */
export function auditContextFor(actor: { id: string; email: string } | null, request: TRequestContext): TAuditContext {
  return { actorId: actor?.id ?? null, actorEmail: actor?.email ?? null, ipAddress: request.ipAddress, userAgent: request.userAgent };
}

/**
 * False for a request another site made the browser send: its `Origin` (or
 * `Sec-Fetch-Site`) names a different host. Route Handlers lack the origin
 * check Next gives Server Actions, so a state-changing POST handler asks
 * this. Requests with neither header (curl, old browsers) are allowed:
 * browsers send `Origin` on every cross-site POST.
 */
export function isSameOriginRequest(source: Pick<Headers, 'get'>): boolean {
  const site = source.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return false;
  const origin = source.get('origin');
  if (origin === null) return true;
  const host = (source.get('x-forwarded-host') ?? source.get('host'))?.split(',')[0]?.trim();
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    // `Origin: null` (sandboxed frames, some redirects) is not a URL and not us.
    return false;
  }
}
