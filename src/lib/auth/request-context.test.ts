import { describe, expect, it } from 'vitest';
import { auditContextFor, isSameOriginRequest, requestContextFromHeaders } from './request-context';
import { parseTrustedProxies } from './trusted-proxies';

describe('requestContextFromHeaders', () => {
  const trusted = parseTrustedProxies('10.0.0.0/8');

  it('records no address without trusted proxies, whatever the client claims', () => {
    expect(
      requestContextFromHeaders(
        new Headers({ 'x-forwarded-for': '203.0.113.7', 'x-real-ip': '198.51.100.2', 'user-agent': 'Firefox' }),
        undefined,
      ),
    ).toEqual({ ipAddress: null, userAgent: 'Firefox' });
  });

  it('takes the address the trusted proxy saw, not the hops a client wrote, and ignores x-real-ip', () => {
    expect(
      requestContextFromHeaders(
        new Headers({ 'x-forwarded-for': '198.51.100.66, 203.0.113.7, 10.0.0.1', 'user-agent': 'Firefox' }),
        trusted,
      ),
    ).toEqual({ ipAddress: '203.0.113.7', userAgent: 'Firefox' });
    expect(requestContextFromHeaders(new Headers({ 'x-real-ip': '2001:db8::1' }), trusted)).toEqual({ ipAddress: null, userAgent: null });
    expect(requestContextFromHeaders(new Headers(), trusted)).toEqual({ ipAddress: null, userAgent: null });
  });

  it('bounds client-supplied values', () => {
    const context = requestContextFromHeaders(new Headers({ 'user-agent': 'y'.repeat(5000) }), trusted);
    expect(context.userAgent).toHaveLength(512);
  });

  it('builds the audit context of an actor or of nobody', () => {
    const request = { ipAddress: '203.0.113.7', userAgent: 'Firefox' };
    expect(auditContextFor({ id: 'u1', email: 'a@b.test' }, request)).toEqual({ actorId: 'u1', actorEmail: 'a@b.test', ...request });
    expect(auditContextFor(null, request)).toEqual({ actorId: null, actorEmail: null, ...request });
  });
});

describe('isSameOriginRequest', () => {
  it.each([
    [{ origin: 'http://erp.test:3000', host: 'erp.test:3000', 'sec-fetch-site': 'same-origin' }, true],
    [{ origin: 'https://erp.test', host: '10.0.0.5:3000', 'x-forwarded-host': 'erp.test' }, true],
    [{ host: 'erp.test' }, true],
    [{ 'sec-fetch-site': 'none', host: 'erp.test' }, true],
    [{ origin: 'https://evil.test', host: 'erp.test' }, false],
    [{ 'sec-fetch-site': 'cross-site', host: 'erp.test' }, false],
    [{ 'sec-fetch-site': 'same-site', origin: 'https://erp.test', host: 'erp.test' }, false],
    [{ origin: 'null', host: 'erp.test' }, false],
    [{ origin: 'https://erp.test' }, false],
  ])('%j -> %s', (headers, expected) => {
    expect(isSameOriginRequest(new Headers(headers))).toBe(expected);
  });
});
