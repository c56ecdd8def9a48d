import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { check } from './steps';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface TViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (WCAG 2.x A and AA rules) on the page as it is and fails on
 * any serious or critical violation, naming the rule and the elements.
 */
async function checkAccessible(page: Page, name: string): Promise<void> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return (result.violations as { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[]).map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
  });
  const severe = (violations as TViolation[]).filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  check(
    severe.length === 0,
    `${name}: accessibility violations:\n${severe.map((v) => `  ${v.impact} ${v.id} (${v.help}): ${v.targets.join(', ')}`).join('\n')}`,
  );
}

/**
 * Opens `url` in a context of its own, with the given cookies (the session
 * of the page under test), and runs axe on it. The context bypasses the
 * app's Content-Security-Policy: axe compiles its message templates with
 * `new Function`, which the policy rightly refuses, and those refusals must
 * not count against the app on the page whose CSP the scenario checks.
 */
export async function checkAccessibleAt(
  browser: Browser,
  url: string,
  cookies: Parameters<import('playwright-core').BrowserContext['addCookies']>[0],
  name: string,
): Promise<void> {
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  try {
    await context.addCookies(cookies);
    const page = await context.newPage();
    await page.goto(url);
    await checkAccessible(page, name);
  } finally {
    await context.close();
  }
}

/** The page fits the viewport's width: nothing makes the whole page scroll sideways (tables scroll in their own box). */
export async function checkNoSidewaysScroll(page: Page, name: string, width: number): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  check(scrollWidth <= width, `${name}: the page is ${scrollWidth} px wide at a ${width} px viewport, so it scrolls sideways`);
}
