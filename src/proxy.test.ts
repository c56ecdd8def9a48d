import { getScriptNonceFromHeader } from 'next/dist/server/app-render/get-script-nonce-from-header';
import { unstable_doesMiddlewareMatch } from 'next/experimental/testing/server';
import { NextRequest } from 'next/server';
import { describe, expect, it } from 'vitest';
import { config, proxy } from './proxy';

// Next applies a Proxy's request-header overrides from these response headers
// (next/dist/server/web/spec-extension/response.js); the app's render then
// sees the overridden request.
function forwardedRequestHeader(response: Response, name: string): string | null {
  const overridden = response.headers.get('x-middleware-override-headers')?.split(',') ?? [];
  return overridden.includes(name) ? response.headers.get(`x-middleware-request-${name}`) : null;
}

describe('proxy', () => {
  it('sets the headers on the response and gives Next the same policy, with a fresh nonce per request', () => {
    const first = proxy(new NextRequest('http://erp.test/login'));
    const second = proxy(new NextRequest('http://erp.test/login'));
    const policy = first.headers.get('content-security-policy') ?? '';
    expect(first.headers.get('x-frame-options')).toBe('DENY');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(forwardedRequestHeader(first, 'content-security-policy')).toBe(policy);
    const nonce = getScriptNonceFromHeader(policy);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(getScriptNonceFromHeader(second.headers.get('content-security-policy') ?? '')).not.toBe(nonce);
  });

  it("replaces a policy the client put on its request, so nobody chooses the nonce Next's scripts get", () => {
    const response = proxy(
      new NextRequest('http://erp.test/', { headers: { 'content-security-policy': "script-src 'nonce-chosenbytheattacker'" } }),
    );
    expect(forwardedRequestHeader(response, 'content-security-policy')).not.toContain('chosenbytheattacker');
    expect(forwardedRequestHeader(response, 'content-security-policy')).toBe(response.headers.get('content-security-policy'));
  });

  it("matches every path but the hashed build assets (checked with Next's own matcher)", () => {
    const matches = (path: string) => unstable_doesMiddlewareMatch({ config, url: `http://erp.test${path}` });
    for (const path of ['/', '/login', '/admin/backups', '/admin/backups/x/download', '/api/anything', '/no-such-page', '/favicon.ico']) {
      expect(matches(path), path).toBe(true);
    }
    expect(matches('/_next/static/chunks/main.js')).toBe(false);
    expect(matches('/_next/image?url=x')).toBe(false);
  });
});
