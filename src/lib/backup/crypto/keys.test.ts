import { describe, expect, it } from 'vitest';
import { BackupError } from '../errors/errors';
import { allKeys, createKeyring, keyIdOf, parseKey } from './keys';

const hex = (byte: string) => byte.repeat(32);

describe('encryption keys', () => {
  it.each(['', 'abc', hex('zz'), `${hex('ab')}00`, hex('ab').slice(2)])('rejects %j with the documented message', (value) => {
    expect(() => parseKey(value)).toThrow('Encryption key must be 64 hex characters');
  });

  it('accepts 64 hex characters in either case and fingerprints them without revealing them', () => {
    const key = parseKey(hex('aB'));
    expect(key.bytes).toHaveLength(32);
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
    expect(hex('ab')).not.toContain(key.id);
    expect(parseKey(hex('ab')).id).toBe(key.id);
    expect(keyIdOf(Buffer.alloc(32, 1))).not.toBe(key.id);
  });

  it('has no fallback: a missing key is an error that says how to make one', () => {
    let error: unknown;
    try {
      createKeyring(undefined);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BackupError);
    expect((error as BackupError).code).toBe('KEY_MISSING');
    expect((error as BackupError).message).toMatch(/BACKUP_ENCRYPTION_KEY is not set.*openssl rand -hex 32/);
  });

  it('keeps previous keys for decryption, current first, without duplicates', () => {
    const keyring = createKeyring(hex('01'), ` ${hex('02')}, ${hex('01')},,${hex('03')} `);
    expect(allKeys(keyring).map((key) => key.bytes[0])).toEqual([1, 2, 3]);
  });

  it('names a malformed previous key the same way', () => {
    expect(() => createKeyring(hex('01'), 'nope')).toThrow('Encryption key must be 64 hex characters');
  });
});
