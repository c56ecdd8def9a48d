import { describe, expect, it } from 'vitest';
import { auditContextFor, isSameOriginRequest, requestContextFromHeaders } from './request-context';

describe('requestContextFromHeaders', () => {
  it('takes the first x-forwarded-for hop, then x-real-ip, and the user agent', () => {
    expect(
      requestContextFromHeaders(
        new Headers({ 'x-forwarded-for': ' 203.0.113.7 , 10.0.0.1', 'x-real-ip': '10.0.0.1', 'user-agent': 'Firefox' }),
      ),
    ).toEqual({ ipAddress: '203.0.113.7', userAgent: 'Firefox' });
    expect(requestContextFromHeaders(new Headers({ 'x-real-ip': '2001:db8::1' }))).toEqual({ ipAddress: '2001:db8::1', userAgent: null });
    expect(requestContextFromHeaders(new Headers({ 'x-forwarded-for': ',', 'x-real-ip': '198.51.100.2' })).ipAddress).toBe('198.51.100.2');
    expect(requestContextFromHeaders(new Headers())).toEqual({ ipAddress: null, userAgent: null });
  });

  it('bounds client-supplied values', () => {
    const context = requestContextFromHeaders(new Headers({ 'x-forwarded-for': 'x'.repeat(500), 'user-agent': 'y'.repeat(5000) }));
    expect(context.ipAddress).toHaveLength(64);
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
