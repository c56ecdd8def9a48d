import { scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('demo1234');
    expect(await verifyPassword('demo1234', stored)).toBe(true);
    expect(await verifyPassword('demo12345', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('stores a self-describing scrypt string with a random 16-byte salt', async () => {
    const first = await hashPassword('correct horse');
    const second = await hashPassword('correct horse');
    expect(first).toMatch(/^scrypt\$32768\$8\$3\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(first.split('$')[4] ?? '', 'base64')).toHaveLength(16);
    expect(first).not.toBe(second);
  });

  it('treats composed and decomposed Unicode as the same password', async () => {
    const stored = await hashPassword('Zo\u00eb-\u0141ukasz');
    expect(await verifyPassword('Zoe\u0308-\u0141ukasz', stored)).toBe(true);
  });

  it('verifies with the parameters stored in the hash, so the cost can change later', async () => {
    const stored = await hashPassword('demo1234');
    const [, , , , salt] = stored.split('$');
    const cheaper = `scrypt$1024$8$1$${salt}$${scryptSync('demo1234', Buffer.from(salt ?? '', 'base64'), 32, { N: 1024, r: 8, p: 1 }).toString('base64')}`;
    expect(await verifyPassword('demo1234', cheaper)).toBe(true);
  });

  it('rejects malformed or unreasonable stored hashes instead of throwing', async () => {
    const stored = await hashPassword('demo1234');
    const [, , , , salt, hash] = stored.split('$');
    for (const bad of [
      '',
      'demo1234',
      `bcrypt$32768$8$3$${salt}$${hash}`,
      `scrypt$1000$8$3$${salt}$${hash}`,
      `scrypt$1073741824$8$1$${salt}$${hash}`,
      `scrypt$32768$8$3$$${hash}`,
      `scrypt$32768$8$3$${salt}$`,
      `scrypt$32768$8$3$${salt}$${hash}$extra`,
      `scrypt$32768$8$3$${salt}$${hash?.slice(0, 8)}`,
    ]) {
      expect(await verifyPassword('demo1234', bad)).toBe(false);
    }
  });
});
