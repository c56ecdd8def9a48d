import type { APIResponse, Page } from 'playwright-core';
import { check } from './steps';

/**
 * What every answer of the app must carry (src/lib/security/headers.ts),
 * checked on the wire against `next start`, independently of the builder:
 * the policy's strictness, one fresh nonce per response, and that nonce on
 * every script tag of the HTML (a script without it would be blocked, and
 * the page would never hydrate).
 */

const FIXED: Record<string, string> = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/** Checks the headers of one answer; returns the nonce of its policy. */
export function checkSecurityHeaders(what: string, headers: Record<string, string>): string {
  for (const [name, value] of Object.entries(FIXED)) {
    check(headers[name] === value, `${what}: ${name} is ${JSON.stringify(headers[name])}, expected ${value}`);
  }
  for (const feature of ['camera=()', 'microphone=()', 'geolocation=()']) {
    check(headers['permissions-policy']?.includes(feature), `${what}: Permissions-Policy lacks ${feature}`);
  }
  check(/^max-age=\d{8,}/.test(headers['strict-transport-security'] ?? ''), `${what}: no HSTS from the production server`);
  const policy = headers['content-security-policy'] ?? '';
  const directives = new Map(policy.split(';').map((part) => [part.trim().split(/\s+/)[0], part.trim()]));
  check(directives.get('frame-ancestors') === "frame-ancestors 'none'", `${what}: the policy lets other sites frame it: ${policy}`);
  check(!policy.includes("'unsafe-inline'") && !policy.includes("'unsafe-eval'"), `${what}: the policy allows inline code: ${policy}`);
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(directives.get('script-src') ?? '')?.[1];
  check(nonce && directives.get('script-src')?.includes("'strict-dynamic'"), `${what}: script-src has no nonce: ${policy}`);
  return nonce;
}

/** Every `<script>` of the HTML carries the response's nonce; returns how many there are. */
export function checkScriptNonces(what: string, html: string, nonce: string): number {
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  check(scripts.length > 0, `${what}: no script tags in the HTML`);
  const without = scripts.filter((tag) => !tag.includes(`nonce="${nonce}"`));
  check(without.length === 0, `${what}: ${without.length} of ${scripts.length} scripts lack the nonce, e.g. ${without[0]}`);
  return scripts.length;
}

/** Checks an HTML answer's headers and scripts; returns the nonce. */
export async function checkHtmlAnswer(what: string, response: APIResponse): Promise<string> {
  const nonce = checkSecurityHeaders(what, response.headers());
  check(response.headers()['content-type']?.startsWith('text/html'), `${what}: not HTML`);
  checkScriptNonces(what, await response.text(), nonce);
  return nonce;
}

/**
 * Proves the page's JavaScript runs under the policy: React hydrates the
 * link (it gets React's `__reactFiber$…` property), and a click on it is a
 * client-side navigation (a value set on `window` survives it), which only
 * a hydrated Next.js page does.
 */
export async function checkHydrated(page: Page, linkName: string, expectedPath: string): Promise<void> {
  const link = page.getByRole('link', { name: linkName, exact: true }).first();
  const deadline = Date.now() + 15_000;
  // Polled from here: code evaluated in the page must not declare named functions (tsx wraps them in a helper the page lacks).
  while (!(await link.evaluate((element) => Object.keys(element).some((key) => key.startsWith('__reactFiber$'))))) {
    check(Date.now() < deadline, `"${linkName}" was never hydrated: the page's scripts did not run`);
    await page.waitForTimeout(100);
  }
  await page.evaluate(() => {
    (window as { e2eSameDocument?: boolean }).e2eSameDocument = true;
  });
  await link.click();
  await page.waitForURL((url) => url.pathname === expectedPath);
  const kept = await page.evaluate(() => (window as { e2eSameDocument?: boolean }).e2eSameDocument === true);
  check(kept, `following "${linkName}" reloaded the page instead of a client-side navigation`);
}
