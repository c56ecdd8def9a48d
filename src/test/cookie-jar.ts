import type { CookieStore } from 'iron-session';

export interface TCookieWrite {
  name: string;
  value: string;
  options: Parameters<CookieStore['set']>[2];
}

/**
 * A stand-in for Next's `await cookies()` (which exists only inside a Next
 * request): what the browser sends back is what was last set.
 */
export function cookieJar(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  const writes: TCookieWrite[] = [];
  const store: CookieStore = {
    get: (name) => {
      const value = values.get(name);
      return value === undefined ? undefined : { name, value };
    },
    getAll: () => [...values].map(([name, value]) => ({ name, value })),
    set: (name, value, options) => {
      writes.push({ name, value, options });
      if (value === '') values.delete(name);
      else values.set(name, value);
    },
  };
  return { store, values, writes };
}
