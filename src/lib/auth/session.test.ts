import { sealData, unsealData } from 'iron-session';
import { describe, expect, it, vi } from 'vitest';
import { cookieJar } from '@/test/cookie-jar';
import { endSession, readSession, SESSION_COOKIE_NAME, SESSION_TTL_SECONDS, startSession, type TSessionConfig } from './session';

const CONFIG: TSessionConfig = { secret: 'a-test-secret-that-is-at-least-32-chars', secure: true };
const TOKEN = 'tok_en-of-43-base64url-characters-012345678';

/** What `createSessionRecord` hands over for the cookie. */
function sessionData(issuedAt = Date.now()) {
  return { token: TOKEN, userId: 'user-1', issuedAt };
}

describe('session cookie', () => {
  it('round-trips the session token, user id and issue time through a sealed cookie', async () => {
    const jar = cookieJar();
    const now = Date.now();
    await startSession(jar.store, sessionData(now), CONFIG);
    expect(await readSession(jar.store, CONFIG, now + 1000)).toEqual(sessionData(now));

    const seal = jar.values.get(SESSION_COOKIE_NAME) ?? '';
    expect(seal).toMatch(/^Fe26\.2\*/);
    expect(seal).not.toContain('user-1');
    expect(seal).not.toContain(TOKEN);
    expect(await unsealData(seal, { password: CONFIG.secret, ttl: SESSION_TTL_SECONDS })).toEqual(sessionData(now));
  });

  it('sets an httpOnly, SameSite=Lax cookie for the whole site that expires with the 8-hour session', async () => {
    const jar = cookieJar();
    await startSession(jar.store, sessionData(), CONFIG);
    await startSession(jar.store, sessionData(), { ...CONFIG, secure: false });
    expect(jar.writes.map((write) => write.options)).toEqual([
      expect.objectContaining({ httpOnly: true, sameSite: 'lax', secure: true, path: '/', maxAge: SESSION_TTL_SECONDS - 60 }),
      expect.objectContaining({ secure: false }),
    ]);
    expect(SESSION_TTL_SECONDS).toBe(8 * 60 * 60);
  });

  it('reads no session from a missing, tampered or foreign cookie, and logs the rejection', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await readSession(cookieJar().store, CONFIG)).toBeNull();
    expect(warn).not.toHaveBeenCalled();

    const jar = cookieJar();
    await startSession(jar.store, sessionData(), CONFIG);
    const seal = jar.values.get(SESSION_COOKIE_NAME) ?? '';
    const tampered = `${seal.slice(0, 40)}${seal[40] === 'A' ? 'B' : 'A'}${seal.slice(41)}`;
    expect(await readSession(cookieJar({ [SESSION_COOKIE_NAME]: tampered }).store, CONFIG)).toBeNull();
    expect(await readSession(jar.store, { ...CONFIG, secret: 'another-secret-that-is-at-least-32-chars' })).toBeNull();
    expect(await readSession(cookieJar({ [SESSION_COOKIE_NAME]: 'not a seal' }).store, CONFIG)).toBeNull();
    expect(warn).toHaveBeenCalledWith('[auth] Rejected a session cookie (invalid).');
    warn.mockRestore();
  });

  it('reads no session from a seal of another shape', async () => {
    for (const data of [
      { ...sessionData(), userId: 42 },
      { ...sessionData(), issuedAt: undefined },
      { ...sessionData(), userId: '' },
      { ...sessionData(), token: undefined },
      { ...sessionData(), token: 'short' },
      // The cookie of the sessions before the server kept them: no token, so signed out.
      { userId: 'user-1', issuedAt: Date.now() },
    ]) {
      const seal = await sealData(data, { password: CONFIG.secret, ttl: SESSION_TTL_SECONDS });
      expect(await readSession(cookieJar({ [SESSION_COOKIE_NAME]: seal }).store, CONFIG)).toBeNull();
    }
  });

  it('reads no session once it is 8 hours old, or issued in the future', async () => {
    const jar = cookieJar();
    const issuedAt = Date.now();
    await startSession(jar.store, sessionData(issuedAt), CONFIG);
    const ttlMs = SESSION_TTL_SECONDS * 1000;
    expect(await readSession(jar.store, CONFIG, issuedAt + ttlMs - 1)).not.toBeNull();
    expect(await readSession(jar.store, CONFIG, issuedAt + ttlMs)).toBeNull();
    expect(await readSession(jar.store, CONFIG, issuedAt - 5 * 60_000)).toBeNull();
  });

  it('ends the session by expiring the cookie', async () => {
    const jar = cookieJar();
    await startSession(jar.store, sessionData(), CONFIG);
    await endSession(jar.store, CONFIG);
    expect(jar.writes.at(-1)).toMatchObject({ name: SESSION_COOKIE_NAME, value: '', options: expect.objectContaining({ maxAge: 0 }) });
    expect(await readSession(jar.store, CONFIG)).toBeNull();
  });
});
