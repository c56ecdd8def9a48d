const MAX_NEXT_LENGTH = 2048;
// Only used to parse; a path that resolves to another origin is refused.
const PARSE_BASE = 'http://next.invalid';

function hasControlOrBackslash(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f || code === 0x5c) return true;
  }
  return false;
}

/**
 * Where to go after signing in: `next` when it is a path on this site,
 * otherwise `fallback`. Refuses anything that a browser could read as
 * another origin: absolute URLs, protocol-relative `//host`, and backslashes
 * or control characters, which browsers turn into slashes or drop
 * (`/\evil.example`, `/<tab>/evil.example` both become `//evil.example`).
 */
export function safeNextPath(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length > MAX_NEXT_LENGTH) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || hasControlOrBackslash(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, PARSE_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== PARSE_BASE) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** Where to go after signing in: `safeNextPath`, except back to the sign-in page itself, which would loop. */
export function afterSignInPath(next: unknown): string {
  const path = safeNextPath(next);
  return path === '/login' || path.startsWith('/login?') || path.startsWith('/login#') || path.startsWith('/login/') ? '/' : path;
}
