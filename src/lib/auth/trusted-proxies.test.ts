import { describe, expect, it } from 'vitest';
import { loadEnv } from '@/lib/env';
import { clientAddress, parseForwardedAddress, parseTrustedProxies } from './trusted-proxies';

describe('parseTrustedProxies', () => {
  it('reads addresses and CIDR ranges of both families', () => {
    expect(parseTrustedProxies(' 10.0.0.0/8, 192.168.1.10 ,fd00::/8, ::1 ').ranges).toEqual([
      '10.0.0.0/8',
      '192.168.1.10/32',
      'fd00::/8',
      '::1/128',
    ]);
  });

  it.each([
    ['10.0.0.0/33', /"10\.0\.0\.0\/33" is not an IP address or a CIDR range/],
    ['fd00::/129', /"fd00::\/129"/],
    ['10.0.0.0/', /"10\.0\.0\.0\/"/],
    ['10.0.0.0/8/8', /"10\.0\.0\.0\/8\/8"/],
    ['10.0.0.0/-1', /"10\.0\.0\.0\/-1"/],
    ['proxy.internal', /"proxy\.internal"/],
    ['10.0.0.256', /"10\.0\.0\.256"/],
    [' , ', /lists no address/],
  ])('refuses %j', (text, message) => {
    expect(() => parseTrustedProxies(text)).toThrow(message);
  });

  it('is validated with the rest of the environment, naming the variable', () => {
    expect(loadEnv({ TRUSTED_PROXIES: '' }).TRUSTED_PROXIES).toBeUndefined();
    expect(loadEnv({ TRUSTED_PROXIES: '127.0.0.1' }).TRUSTED_PROXIES?.ranges).toEqual(['127.0.0.1/32']);
    expect(() => loadEnv({ TRUSTED_PROXIES: '10.0.0.0/8,nginx' })).toThrow(/TRUSTED_PROXIES: "nginx" is not an IP address/);
  });
});

describe('parseForwardedAddress', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    [' 203.0.113.7:51234 ', '203.0.113.7'],
    ['2001:DB8::1', '2001:db8::1'],
    ['[2001:db8::1]:443', '2001:db8::1'],
    ['[2001:db8::1]', '2001:db8::1'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
  ])('%j -> %s', (raw, address) => {
    expect(parseForwardedAddress(raw)?.address).toBe(address);
  });

  it.each(['', 'unknown', '_hidden', '203.0.113', '203.0.113.7:port', '2001:db8::1:443x', '[2001:db8::1', '<script>', '1.2.3.4.5'])(
    'refuses %j',
    (raw) => {
      expect(parseForwardedAddress(raw)).toBeNull();
    },
  );
});

describe('clientAddress (right-most untrusted hop)', () => {
  const trusted = parseTrustedProxies('10.0.0.0/8, 2001:db8:ffff::/48');

  it('ignores a spoofed first hop: the hop the trusted proxy appended wins', () => {
    expect(clientAddress('1.1.1.1, 203.0.113.7', trusted)).toBe('203.0.113.7');
  });

  it('walks past every trusted proxy, matching CIDR ranges', () => {
    expect(clientAddress('1.1.1.1, 203.0.113.7, 10.1.2.3, 10.200.0.9', trusted)).toBe('203.0.113.7');
    expect(clientAddress('203.0.113.7, 11.0.0.1', trusted)).toBe('11.0.0.1');
  });

  it('handles IPv6 hops and ranges, and IPv4 written as IPv4-mapped IPv6', () => {
    expect(clientAddress('2001:db8:1::5, 2001:db8:ffff::1', trusted)).toBe('2001:db8:1::5');
    expect(clientAddress('[2001:db8:1::5]:443, [2001:db8:ffff:0:0:0:0:1]:80', trusted)).toBe('2001:db8:1::5');
    expect(clientAddress('203.0.113.7, ::ffff:10.0.0.1', trusted)).toBe('203.0.113.7');
  });

  it('gives the left-most hop when every hop is a trusted proxy (an internal caller)', () => {
    expect(clientAddress('10.0.0.9, 10.0.0.1', trusted)).toBe('10.0.0.9');
  });

  it('knows no address rather than guess: no proxies configured, no header, or a malformed deciding hop', () => {
    expect(clientAddress('203.0.113.7', undefined)).toBeNull();
    expect(clientAddress(null, trusted)).toBeNull();
    expect(clientAddress('', trusted)).toBeNull();
    expect(clientAddress('203.0.113.7, garbage', trusted)).toBeNull();
    expect(clientAddress('203.0.113.7, ', trusted)).toBeNull();
    expect(clientAddress('unknown, 10.0.0.1', trusted)).toBeNull();
  });

  it('never reads past the deciding hop, so a malformed spoofed hop further left does not matter', () => {
    expect(clientAddress('not-an-ip, <x>, 203.0.113.7, 10.0.0.1', trusted)).toBe('203.0.113.7');
  });
});
