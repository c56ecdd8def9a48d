import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

/**
 * Which client address to believe. `next start` passes the browser's
 * `X-Forwarded-For` through untouched, and fills it with the connecting
 * address only when the request has none (next/dist/server/base-server.js:
 * `x-forwarded-for ??= socket.remoteAddress`), so the app can never tell a
 * forged header from the peer. The address is therefore taken only when the
 * operator names the reverse proxies in front of the app (`TRUSTED_PROXIES`):
 * walking the chain from the right, past addresses of trusted proxies, the
 * first other address is the one the nearest trusted proxy saw connect.
 * Anything a client wrote further left is ignored.
 */

/** The parsed `TRUSTED_PROXIES`: the networks whose hops in X-Forwarded-For are skipped. */
export interface TTrustedProxies {
  /** The ranges as configured, normalised (for messages and tests). */
  ranges: string[];
  list: BlockList;
}

function familyOf(address: string): 'ipv4' | 'ipv6' | null {
  const version = isIP(address);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : null;
}

// "::ffff:10.0.0.1" is how a dual-stack socket reports an IPv4 client; it is that IPv4 address.
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** An address as written in X-Forwarded-For ("203.0.113.7", "203.0.113.7:51234", "[2001:db8::1]:443"), or null if it is none. */
export function parseForwardedAddress(raw: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  let text = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed?.[1]) text = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  const mapped = IPV4_MAPPED.exec(text);
  if (mapped?.[1]) text = mapped[1];
  const family = familyOf(text);
  return family ? { address: text.toLowerCase(), family } : null;
}

/** Parses "10.0.0.0/8, 192.168.1.10, fd00::/8" into a list; throws with the offending entry. */
export function parseTrustedProxies(text: string): TTrustedProxies {
  const list = new BlockList();
  const ranges: string[] = [];
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [host = '', prefixText, ...rest] = entry.split('/');
    const family = familyOf(host);
    const maxPrefix = family === 'ipv4' ? 32 : 128;
    const prefix = prefixText === undefined ? maxPrefix : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
    if (!family || rest.length > 0 || !(prefix >= 0 && prefix <= maxPrefix)) {
      throw new Error(`"${entry}" is not an IP address or a CIDR range such as 10.0.0.0/8 or fd00::/8`);
    }
    list.addSubnet(host, prefix, family);
    ranges.push(`${host.toLowerCase()}/${prefix}`);
  }
  if (ranges.length === 0) throw new Error('it lists no address');
  return { ranges, list };
}

/** `TRUSTED_PROXIES` as the environment schema reads it: unset or empty means no proxy is trusted. */
export const ZTrustedProxies = z.preprocess(
  (value) => (value === '' ? undefined : value),
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined;
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
);

/**
 * The client address of a request that came through `trusted` proxies: the
 * right-most X-Forwarded-For hop that is not a trusted proxy (if every hop
 * is one, the left-most). Null without trusted proxies, without the header,
 * or when the deciding hop is not an address (a proxy that does not append,
 * or garbage): an unknown address is recorded as unknown, never guessed.
 */
export function clientAddress(forwardedFor: string | null, trusted: TTrustedProxies | undefined): string | null {
  if (!trusted || !forwardedFor) return null;
  const hops = forwardedFor.split(',');
  for (let index = hops.length - 1; index >= 0; index--) {
    const hop = parseForwardedAddress(hops[index] ?? '');
    if (!hop) return null;
    if (!trusted.list.check(hop.address, hop.family) || index === 0) return hop.address;
  }
  return null;
}
