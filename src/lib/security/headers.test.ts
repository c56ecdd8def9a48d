import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce, securityHeaders } from './headers';

/** The policy as a map of directive → sources. */
function directives(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy.split(';').map((directive) => {
      const [name = '', ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('contentSecurityPolicy', () => {
  it('in production: scripts only by nonce (strict-dynamic), no eval, no inline style, no framing, no plugins', () => {
    const policy = directives(contentSecurityPolicy({ nonce: 'abc123==', production: true }));
    expect(policy['script-src']).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'"]);
    expect(policy['style-src']).toEqual(["'self'", "'nonce-abc123=='"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    expect(policy['base-uri']).toEqual(["'none'"]);
    expect(policy['form-action']).toEqual(["'self'"]);
    expect(policy['default-src']).toEqual(["'self'"]);
    expect(Object.values(policy).flat()).not.toContain("'unsafe-inline'");
    expect(Object.values(policy).flat()).not.toContain("'unsafe-eval'");
  });

  it('opens eval and inline styles only for next dev', () => {
    const policy = directives(contentSecurityPolicy({ nonce: 'abc123==', production: false }));
    expect(policy['script-src']).toEqual(["'self'", "'nonce-abc123=='", "'strict-dynamic'", "'unsafe-eval'"]);
    // A nonce in style-src would make browsers ignore 'unsafe-inline'.
    expect(policy['style-src']).toEqual(["'self'", "'unsafe-inline'"]);
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
  });
});

describe('securityHeaders', () => {
  it('sends the full set, HSTS in production only', () => {
    const production = securityHeaders({ nonce: 'n', production: true });
    expect(production).toMatchObject({
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'strict-origin-when-cross-origin',
      'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    expect(production['Permissions-Policy']).toMatch(/(^|, )camera=\(\)/);
    expect(production['Permissions-Policy']).toMatch(/microphone=\(\)/);
    expect(production['Permissions-Policy']).toMatch(/geolocation=\(\)/);
    expect(production['Content-Security-Policy']).toContain("'nonce-n'");
    const development = securityHeaders({ nonce: 'n', production: false });
    expect(development['Strict-Transport-Security']).toBeUndefined();
    expect(development['X-Frame-Options']).toBe('DENY');
  });
});

describe('newNonce', () => {
  it('is 128 random bits in the base64 form Next.js extracts from the policy', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) {
      expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
      // Next's own pattern (next/dist/server/app-render/get-script-nonce-from-header.js).
      expect(`'nonce-${nonce}'`).toMatch(/^'nonce-([A-Za-z0-9+/_-]+={0,2})'$/);
    }
  });
});
