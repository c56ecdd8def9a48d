import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt. A stored hash describes itself as
 * `scrypt$N$r$p$saltB64$hashB64`, so the cost can be raised later without
 * invalidating existing hashes: verification always uses the stored
 * parameters.
 */

// OWASP's scrypt baseline is N=2^17, r=8, p=1; this is its listed equivalent
// that needs 32 MiB instead of 128 MiB per hash, which matters when several
// logins are hashed at once on the libuv thread pool.
const COST = { N: 2 ** 15, r: 8, p: 3 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;

// Bounds for parameters read back from the database: a corrupted or hostile
// row must fail verification, not make the server allocate gigabytes.
const MAX_MEMORY_BYTES = 256 * 1024 * 1024;
const MAX_P = 16;

function memoryOf(cost: { N: number; r: number }): number {
  return 128 * cost.N * cost.r;
}

function deriveKey(plain: string, salt: Buffer, keyLength: number, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128 * N * r bytes and Node's default cap (32 MiB) leaves no
  // room above the current cost, so the cap follows the parameters.
  const options: ScryptOptions = { ...cost, maxmem: 2 * memoryOf(cost) };
  // "Zoë" typed on different keyboards may arrive composed or decomposed.
  const password = plain.normalize('NFC');
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes a password with a fresh random salt; returns the self-describing stored form. */
export async function hashPassword(plain: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(plain, salt, KEY_BYTES, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

function parsePositiveInt(text: string | undefined, max: number): number | null {
  if (!text || !/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value >= 1 && value <= max ? value : null;
}

/** Checks a password against a stored hash in constant time; false for a wrong password or a malformed hash. */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  const [scheme, nText, rText, pText, saltB64, hashB64, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || !saltB64 || !hashB64) return false;
  const N = parsePositiveInt(nText, MAX_MEMORY_BYTES);
  const r = parsePositiveInt(rText, MAX_MEMORY_BYTES);
  const p = parsePositiveInt(pText, MAX_P);
  if (N === null || r === null || p === null) return false;
  // scrypt requires N to be a power of two greater than 1.
  if (N < 2 || (N & (N - 1)) !== 0 || memoryOf({ N, r }) > MAX_MEMORY_BYTES) return false;
  const salt = Buffer.from(saltB64, 'base64');
  const expected = Buffer.from(hashB64, 'base64');
  if (salt.length === 0 || expected.length < 16) return false;
  const actual = await deriveKey(plain, salt, expected.length, { N, r, p });
  return timingSafeEqual(actual, expected);
}
