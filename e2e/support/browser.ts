import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium (CI installs it; `apt-get install chromium` locally). */
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium's own connections are refused in the sandboxed CI network and slow it down.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launches headless Chromium through playwright-core (no browser download). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}
