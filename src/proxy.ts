import { type NextRequest, NextResponse } from 'next/server';
import { loadEnv } from '@/lib/env';
import { newNonce, securityHeaders } from '@/lib/security/headers';

let production: boolean | undefined;

/**
 * Next.js 16 Proxy (formerly middleware), run before every page, route and
 * Server Action: a fresh CSP nonce per request, and the security headers on
 * the response. The policy also goes on the request, replacing anything a
 * client sent there, because that copy is where Next.js reads the nonce it
 * puts on its scripts.
 */
export function proxy(request: NextRequest): NextResponse {
  production ??= loadEnv().NODE_ENV === 'production';
  const headers = securityHeaders({ nonce: newNonce(), production });
  const forwarded = new Headers(request.headers);
  forwarded.set('content-security-policy', headers['Content-Security-Policy']);
  const response = NextResponse.next({ request: { headers: forwarded } });
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Next's own hashed build assets need no per-request work; everything else, 404s included, gets the headers.
  matcher: ['/((?!_next/static|_next/image).*)'],
};
