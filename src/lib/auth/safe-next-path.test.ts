import { describe, expect, it } from 'vitest';
import { afterSignInPath, safeNextPath } from './safe-next-path';

describe('safeNextPath', () => {
  it.each(['/', '/admin/backups', '/admin/backups?page=2#latest', '/search?q=a%2Fb', '/%2F%2Fevil.example'])(
    'keeps the same-site path %s',
    (path) => {
      expect(safeNextPath(path)).toBe(path);
    },
  );

  it('normalises dot segments without leaving the site', () => {
    expect(safeNextPath('/admin/../../etc')).toBe('/etc');
  });

  it.each([
    ['an absolute URL', 'https://evil.example/'],
    ['a protocol-relative URL', '//evil.example'],
    ['a backslash that browsers read as a slash', '/\\evil.example'],
    ['a backslash later in the path', '/a\\b'],
    ['a tab that browsers drop', '/\t/evil.example'],
    ['a newline', '/\n/evil.example'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a relative path', 'admin'],
    ['leading whitespace', ' /admin'],
    ['an empty string', ''],
    ['an over-long path', `/${'a'.repeat(2048)}`],
  ])('refuses %s', (_case, next) => {
    expect(safeNextPath(next)).toBe('/');
  });

  it.each([null, undefined, 42, ['/admin'], { path: '/admin' }])('refuses the non-string %j', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });

  it('returns the given fallback', () => {
    expect(safeNextPath('//evil.example', '/dashboard')).toBe('/dashboard');
  });
});

describe('afterSignInPath', () => {
  it('never leads back to the sign-in page', () => {
    for (const next of ['/login', '/login?next=%2Flogin', '/login#top', '/login/']) expect(afterSignInPath(next)).toBe('/');
  });

  it('otherwise follows safeNextPath', () => {
    expect(afterSignInPath('/admin/backups')).toBe('/admin/backups');
    expect(afterSignInPath('/logins')).toBe('/logins');
    expect(afterSignInPath('//evil.example')).toBe('/');
  });
});
