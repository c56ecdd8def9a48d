import { randomBytes } from 'node:crypto';

/**
 * The security headers of every response, set by src/proxy.ts. One builder,
 * so the proxy, its tests and the browser test agree on what is sent.
 */

export interface TSecurityHeaderOptions {
  /** Fresh for every request (`newNonce()`): Next.js puts it on each of its own scripts. */
  nonce: string;
  /** `next start`: adds HSTS and drops what only `next dev` needs. */
  production: boolean;
}

/** 128 random bits, base64: the form Next.js looks for in `'nonce-…'`. */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * A strict, nonce-based policy. Next.js reads the nonce from the request's
 * copy of this header and sets it on its inline bootstrap scripts and its
 * script tags; `'strict-dynamic'` lets those load the page's chunks. Every
 * page is rendered per request anyway (the header reads the session), which a
 * nonce requires. Styles are the app's own stylesheets; a style attribute in
 * server HTML is refused (React's client-side styles go through the CSSOM,
 * which CSP does not govern). `next dev` needs `eval` (React's debugging
 * stacks) and inline styles (injected CSS), so those open only there.
 */
export function contentSecurityPolicy({ nonce, production }: TSecurityHeaderOptions): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", `'nonce-${nonce}'`, "'strict-dynamic'", ...(production ? [] : ["'unsafe-eval'"])],
    'style-src': production ? ["'self'", `'nonce-${nonce}'`] : ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    // Nobody may frame any page (clickjacking of the sign-in and restore forms); X-Frame-Options says it to older browsers.
    'frame-ancestors': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** Every security header, by name. */
export function securityHeaders(options: TSecurityHeaderOptions): { 'Content-Security-Policy': string } & Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(options),
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    // Not no-referrer: with it, browsers send `Origin: null` on same-origin POSTs, which
    // Next's Server Action origin check and the sign-out route then refuse as cross-site.
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), display-capture=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    // HTTPS only, for two years. Production only: `next dev --experimental-https` would otherwise pin localhost
    // to HTTPS for every other local project. Browsers ignore it on responses over plain HTTP.
    ...(options.production ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}
