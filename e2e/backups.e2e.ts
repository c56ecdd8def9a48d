/**
 * Browser test of the backups dashboard against the real app: a scratch
 * PostgreSQL database (migrated, seeded), the production build under
 * `next start`, and Debian's Chromium. Run with `npm run test:e2e`.
 *
 * The scenario: sign in as the demo admin, create a backup and follow it to
 * COMPLETED, see the default schedule, add a schedule (live cron preview,
 * weekly preset, its next run), verify the backup, download it, change a record behind the app's back,
 * restore the backup with the typed confirmation and see the record back,
 * pin it and preview a retention policy that keeps it, filter the activity panel, take two snapshots (listed with their new and
 * reused chunks; one downloaded as a standalone file), delete the backup, sign out and see a replayed
 * copy of the session cookie refused, and see a teacher refused with the 403
 * page. Around it: the security headers on every page and route, every page
 * hydrating under the Content-Security-Policy with no violation, the sign-in
 * page refusing to be framed, and refused anonymous requests shown as one
 * "anonymous ×N" row. Screenshots go to test-results/e2e/.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Locator, Page } from 'playwright-core';
import { freePort } from '@/test/free-port';
import { checkAccessibleAt, checkNoSidewaysScroll } from './support/accessibility';
import { startApp, type TAppServer } from './support/app-server';
import { launchBrowser } from './support/browser';
import { buildIfStale } from './support/next-build';
import { runCommand } from './support/run-command';
import { createScratchDb, type TScratchDb } from './support/scratch-db';
import { checkHtmlAnswer, checkHydrated, checkSecurityHeaders } from './support/security-headers';
import { check, StepRunner } from './support/steps';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHOTS = path.join(ROOT, 'test-results', 'e2e');
const PG_SERVER = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const PASSWORD = 'demo1234';
const TAMPERED_NAME = 'Renamed behind the app by the e2e test';
const UNKNOWN_BACKUP_ID = 'cmwx3gdpg0000547dvc7iix2z';
/** Refused download attempts made without a session; the activity panel must count them. */
const ANONYMOUS_DENIALS = 3;
/** Backups and restores of the scale-1 seed take seconds; this leaves room for a slow CI machine. */
const SLOW_MS = 120_000;
/** A phone held upright (an iPhone 12 to 15): the dashboard must work there without sideways scrolling. */
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

const runner = new StepRunner();
const browserErrors: string[] = [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'erp-e2e-'));
const backupDir = path.join(tmp, 'backups');
let db: TScratchDb | undefined;
let app: TAppServer | undefined;
let browser: Browser | undefined;
let page: Page | undefined;

/** The page, once Chromium is up (steps after "Chromium" only run if it is). */
function tab(): Page {
  check(page, 'the browser page is not open');
  return page;
}

function base(): string {
  check(app, 'the app is not running');
  return app.baseUrl;
}

/** Saves a screenshot; the whole page, except with a dialog open (the backdrop covers only the viewport). */
async function screenshot(name: string, fullPage = true): Promise<void> {
  const file = path.join(SHOTS, name);
  await tab().screenshot({ path: file, fullPage });
  runner.log(`  screenshot ${path.relative(ROOT, file)}`);
}

async function signIn(email: string): Promise<void> {
  await tab().getByLabel('Email').fill(email);
  await tab().getByLabel('Password').fill(PASSWORD);
  await tab().getByRole('button', { name: 'Sign in' }).click();
}

function backupRows(): Locator {
  return tab().locator('table.backup-table > tbody > tr:not(.detail-row)');
}

function rowOf(filename: string): Locator {
  return backupRows().filter({ hasText: filename });
}

function schedulesPanel(): Locator {
  return tab().locator('section[aria-labelledby="schedules-title"]');
}

function scheduleCard(name: string): Locator {
  return schedulesPanel()
    .locator('.schedule-card')
    .filter({ has: tab().getByRole('heading', { level: 3, name, exact: true }) });
}

/** Previews "keep the last N" on the manual-backup retention panel (opened if closed); waits for the summary it expects. */
async function previewManualRetention(keepLast: string, expected: RegExp): Promise<void> {
  const panel = tab().locator('details.manual-retention');
  if (!(await panel.evaluate((element) => (element as HTMLDetailsElement).open))) await panel.locator('summary').click();
  await panel.getByLabel('Last', { exact: true }).fill(keepLast);
  await panel.getByRole('button', { name: 'Preview' }).click();
  const summary = panel.getByRole('status').filter({ hasText: /^Applied now, this policy would keep/ });
  try {
    await summary.filter({ hasText: expected }).waitFor();
  } catch (error) {
    throw new Error(`the preview says "${await summary.textContent()}", expected ${expected}`, { cause: error });
  }
}

async function firstSchool(): Promise<{ id: string; name: string }> {
  check(db, 'no database');
  const [school] = await db.query<{ id: string; name: string }>('SELECT id, name FROM "School" ORDER BY name LIMIT 1');
  check(school, 'the seed created no school');
  return school;
}

async function scenario(): Promise<void> {
  let filename = '';
  let school = { id: '', name: '' };

  await runner.step('prepare: scratch PostgreSQL database, migrated and seeded (scale 1)', async () => {
    db = await createScratchDb(PG_SERVER);
    runner.log(`  database ${db.name}`);
    const env = { ...process.env, DATABASE_URL: db.url };
    await runCommand('npm', ['run', '-s', 'db:migrate'], env, ROOT);
    await runCommand('npm', ['run', '-s', 'db:seed', '--', '--scale', '1'], env, ROOT);
    school = await firstSchool();
  });

  await runner.step('prepare: production build (only when stale)', () => buildIfStale(ROOT, (message) => runner.log(`  ${message}`)));

  await runner.step('prepare: next start on a free port', async () => {
    check(db, 'no database');
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env };
    // Nothing of the caller's backup or cloud settings may leak into the test server.
    for (const key of Object.keys(env)) if (/^(S3_|AWS_|BACKUP_)/.test(key)) delete env[key];
    Object.assign(env, {
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(port),
      DATABASE_URL: db.url,
      DATA_DIR: path.join(tmp, 'data'),
      BACKUP_DIR: backupDir,
      BACKUP_STORAGE: 'local',
      BACKUP_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      SESSION_SECRET: randomBytes(32).toString('base64url'),
    });
    app = await startApp({ root: ROOT, port, env, logFile: path.join(SHOTS, 'server.log') });
    runner.log(`  listening on ${app.baseUrl} (log: test-results/e2e/server.log)`);
  });

  await runner.step('prepare: Chromium', async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: DESKTOP });
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => browserErrors.push(`page error: ${error.message}`));
    // Every CSP violation of every page of the scenario fails the run (the console also says "… violates …").
    await page.exposeFunction('e2eReportCspViolation', (text: string) => browserErrors.push(`CSP violation: ${text}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const report = (window as unknown as { e2eReportCspViolation: (text: string) => void }).e2eReportCspViolation;
        report(
          `${event.violatedDirective} blocked ${event.blockedURI || 'inline'} in ${event.documentURI} (from ${event.sourceFile}:${event.lineNumber}:${event.columnNumber})`,
        );
      });
    });
    page.on('console', (message) => {
      // A missing favicon is the app shell's business (it has none), not a failure of this page;
      // the 403 of the teacher's visit and the 404 of the unknown page are answers this test expects.
      const expected =
        message.location().url.endsWith('/favicon.ico') ||
        (message.text().includes('status of 403') && message.location().url.endsWith('/admin/backups')) ||
        (message.text().includes('status of 404') && message.location().url.endsWith('/no-such-page'));
      if (message.type() === 'error' && !expected) {
        browserErrors.push(`console: ${message.text()} (${message.location().url})`);
      }
    });
  });

  await runner.step('security headers on every page and route, with a fresh nonce on every script (signed out)', async () => {
    check(browser, 'no browser');
    const anonymous = await browser.newContext();
    try {
      const get = (path: string) => anonymous.request.get(`${base()}${path}`, { maxRedirects: 0 });
      const nonces = new Set<string>();
      for (const [path, status] of [
        ['/', 200],
        ['/login', 200],
        ['/login?next=/admin/backups', 200],
        ['/no-such-page', 404],
      ] as const) {
        const response = await get(path);
        check(response.status() === status, `${path} answered ${response.status()}, expected ${status}`);
        nonces.add(await checkHtmlAnswer(path, response));
      }
      check(nonces.size === 4, 'a nonce was served twice');
      for (const [path, status] of [
        ['/admin/backups', 307],
        ['/api/anything', 404],
        ['/favicon.ico', 200],
      ] as const) {
        const response = await get(path);
        check(response.status() === status, `${path} answered ${response.status()}, expected ${status}`);
        checkSecurityHeaders(path, response.headers());
      }
      const logout = await get('/logout');
      check(logout.status() === 405, `GET /logout answered ${logout.status()}`);
      checkSecurityHeaders('GET /logout', logout.headers());
      for (let i = 0; i < ANONYMOUS_DENIALS; i++) {
        const download = await get(`/admin/backups/${UNKNOWN_BACKUP_ID}/download`);
        check(download.status() === 401, `an anonymous download answered ${download.status()}`);
        checkSecurityHeaders('the download route', download.headers());
      }
    } finally {
      await anonymous.close();
    }
  });

  await runner.step('every page runs under the policy: hydrated, navigating on the client', async () => {
    await tab().goto(`${base()}/`);
    await checkHydrated(tab(), 'Sign in', '/login');
    await checkHydrated(tab(), 'Home', '/');
    await tab().goto(`${base()}/no-such-page`);
    await tab().getByRole('heading', { name: 'Page not found' }).waitFor();
    await checkHydrated(tab(), 'Back to the dashboard', '/');
  });

  await runner.step('signed out: the home page shows no school figures and no Backups link; / and /login pass axe', async () => {
    await tab().goto(`${base()}/`);
    await tab().getByText('Sign in to see your school').waitFor();
    check((await tab().getByText(school.name).count()) === 0, "the school's name is shown to an anonymous visitor");
    check((await tab().locator('table').count()) === 0, 'the home page shows a table of figures to an anonymous visitor');
    check((await tab().getByRole('link', { name: 'Backups', exact: true }).count()) === 0, 'the Backups link is shown signed out');
    check(browser, 'no browser');
    await checkAccessibleAt(browser, `${base()}/`, [], '/ (signed out)');
    await checkAccessibleAt(browser, `${base()}/login`, [], '/login');
    await tab().setViewportSize(PHONE);
    for (const path of ['/', '/login']) {
      await tab().goto(`${base()}${path}`);
      await checkNoSidewaysScroll(tab(), `${path} at ${PHONE.width} px`, PHONE.width);
    }
    await tab().setViewportSize(DESKTOP);
  });

  await runner.step('another site cannot frame the sign-in page (its own stylesheet can be, so the check can fail)', async () => {
    check(browser, 'no browser');
    const framer = await browser.newPage();
    try {
      const stylesheet = await tab()
        .goto(`${base()}/login`)
        .then(() => tab().locator('link[rel="stylesheet"]').first().getAttribute('href'));
      check(stylesheet, 'the sign-in page links no stylesheet');
      await framer.setContent(`<iframe id="login" src="${base()}/login"></iframe><iframe id="css" src="${base()}${stylesheet}"></iframe>`);
      const frameOf = async (id: string) => {
        const frame = await (await framer.$(`iframe#${id}`))?.contentFrame();
        check(frame, `no frame ${id}`);
        return frame;
      };
      const login = await frameOf('login');
      check(!login.url().startsWith(base()), `the sign-in page loaded inside another site's frame (${login.url()})`);
      check((await login.locator('#login-email').count()) === 0, 'the sign-in form is inside the frame');
      check((await frameOf('css')).url() === `${base()}${stylesheet}`, 'control: an unprotected same-server file did not load in a frame');
    } finally {
      await framer.close();
    }
  });

  await runner.step('signed out, /admin/backups sends to the sign-in page; the admin signs in and lands on it', async () => {
    await tab().goto(`${base()}/admin/backups`);
    await tab().waitForURL(/\/login\?next=%2Fadmin%2Fbackups|\/login\?next=\/admin\/backups/);
    await signIn('admin@demo.school');
    await tab().waitForURL(`${base()}/admin/backups`);
    await tab().getByRole('heading', { level: 1, name: 'Backups' }).waitFor();
    await tab().getByText('No backups yet').waitFor();
  });

  await runner.step('create a backup, follow the progress bar to COMPLETED, see it in the table', async () => {
    await tab().getByRole('button', { name: 'Create backup' }).click();
    const bar = tab().getByRole('progressbar', { name: 'Backup progress' });
    await bar.waitFor({ timeout: SLOW_MS });
    await tab().getByRole('status').filter({ hasText: 'Backup completed' }).waitFor({ timeout: SLOW_MS });
    check((await bar.getAttribute('aria-valuenow')) === '100', 'the progress bar does not end at 100');
    await backupRows().first().locator('.badge', { hasText: 'completed' }).waitFor();
    check((await backupRows().count()) === 1, 'expected exactly one backup in the table');
    filename = (await backupRows().first().locator('.backup-file').textContent()) ?? '';
    check(/^backup-.+\.enc$/.test(filename), `unexpected file name "${filename}"`);
    runner.log(`  created ${filename}`);
    await screenshot('01-dashboard-after-create.png');
  });

  await runner.step('health: GET /api/health/backups says ok after the backup, with no ids, file names or data', async () => {
    const response = await fetch(`${base()}/api/health/backups`);
    const text = await response.text();
    check(response.status === 200, `health answered ${response.status}: ${text}`);
    const body = JSON.parse(text) as Record<string, unknown>;
    check(body.status === 'ok', `health status "${String(body.status)}"`);
    check(typeof body.lastSuccessAt === 'string' && Date.now() - Date.parse(body.lastSuccessAt) < 10 * 60_000, `lastSuccessAt ${text}`);
    check(!text.includes(filename) && !/"c[a-z0-9]{20,32}"/.test(text), `health reveals a file name or an id: ${text}`);
  });

  await runner.step('schedules: a fresh install shows its default schedule, every day at 02:00, with its next run and policy', async () => {
    const card = scheduleCard('Nightly backup');
    await card.getByText(/^Every day at 02:00, \S+$/).waitFor();
    await card.getByText('enabled', { exact: true }).waitFor();
    await card.getByText('keeps 7 daily, 4 weekly, 12 monthly').waitFor();
    const next = await card.locator('dd time').first().getAttribute('datetime');
    check(next && Date.parse(next) > Date.now() - 60_000, `the default schedule's next run is "${next}"`);
    check(Date.parse(next) - Date.now() <= 86_400_000 + 3_600_000, `the next 02:00 is more than a day away: ${next}`);
    // Protected by default also means proved and checked: a weekly restore drill and a weekly scrub.
    await scheduleCard('Weekly restore drill')
      .getByText(/^Every Sunday at 04:00, \S+$/)
      .waitFor();
    await scheduleCard('Weekly scrub')
      .getByText(/^Every Saturday at 05:00, \S+$/)
      .waitFor();
  });

  await runner.step(
    'schedules: the cron field describes what is typed, live; a schedule added with the weekly preset shows its next run',
    async () => {
      await schedulesPanel().getByRole('button', { name: 'Add schedule' }).click();
      const dialog = tab().getByRole('dialog', { name: 'Add a schedule' });
      await dialog.getByLabel('Name', { exact: true }).fill('Weekly e2e');
      await dialog.getByLabel('Each run takes', { exact: true }).selectOption({ label: 'Snapshot' });
      await dialog.getByText(/^Each run stores only the parts of the data no earlier snapshot stored/).waitFor();
      await dialog.getByLabel('Advanced (cron)', { exact: true }).check();
      const cron = dialog.getByLabel('Cron expression', { exact: true });
      check((await cron.inputValue()) === '0 2 * * *', `the cron field does not start from the preset: "${await cron.inputValue()}"`);
      await cron.fill('0 2 * *');
      await dialog
        .locator('.timing-preview .field-error')
        .getByText(/expected 5 fields/)
        .waitFor();
      await cron.fill('30 1 * * 1-5');
      await dialog
        .locator('.timing-description')
        .getByText(/^Every weekday at 01:30, \S+$/)
        .waitFor();
      check((await dialog.locator('.next-runs li').count()) === 3, 'the preview does not list the next three runs');
      await dialog.getByLabel('Every week', { exact: true }).check();
      await dialog.getByLabel('Day', { exact: true }).selectOption({ label: 'Sunday' });
      await dialog.getByLabel('Time', { exact: true }).fill('03:30');
      await dialog
        .locator('.timing-description')
        .getByText(/^Every Sunday at 03:30, \S+$/)
        .waitFor();
      await screenshot('01b-add-schedule.png', false);
      await dialog.getByRole('button', { name: 'Add schedule' }).click();
      await dialog.waitFor({ state: 'hidden' });
      const card = scheduleCard('Weekly e2e');
      await card.getByText(/^Every Sunday at 03:30, \S+$/).waitFor();
      check((await card.locator('.schedule-kind').textContent()) === 'Snapshot', 'the new schedule does not say it takes snapshots');
      check(
        (await scheduleCard('Nightly backup').locator('.schedule-kind').textContent()) === 'Full backup',
        'the default schedule does not say it takes full backups',
      );
      const next = card.locator('dd time').first();
      check(/^Sun,? .*03:30 /.test((await next.textContent()) ?? ''), `the next run reads "${await next.textContent()}"`);
      check(Date.parse((await next.getAttribute('datetime')) ?? '') > Date.now(), 'the next run is not in the future');
    },
  );

  await runner.step('verify the backup: every check passes', async () => {
    await rowOf(filename).getByRole('button', { name: 'Verify' }).click();
    const result = tab().locator('.verify-result');
    await result.getByText(/is intact: all \d+ checks passed/).waitFor({ timeout: SLOW_MS });
    const ok = await result.locator('.check-ok').count();
    check(ok >= 5 && (await result.locator('.check-bad').count()) === 0, `expected every check ok, got ${ok} ok`);
    // "Last verified" (the 7th cell after the row header) turns from "Never" into a time.
    await rowOf(filename).locator('td').nth(6).locator('time').waitFor();
  });

  await runner.step('download the backup through its route', async () => {
    const href = await rowOf(filename).getByRole('link', { name: 'Download' }).getAttribute('href');
    check(href, 'no download link');
    const response = await tab().request.get(`${base()}${href}`);
    check(response.status() === 200, `download answered ${response.status()}`);
    checkSecurityHeaders('the download', response.headers());
    const dashboard = await tab().request.get(`${base()}/admin/backups`);
    check(dashboard.status() === 200, `the dashboard answered ${dashboard.status()}`);
    await checkHtmlAnswer('/admin/backups (signed in)', dashboard);
    const size = (await response.body()).length;
    check(size > 0 && size === fs.statSync(path.join(backupDir, filename)).size, `downloaded ${size} bytes, not the file`);
  });

  await runner.step('change a record behind the app (SQL): the home page shows the change', async () => {
    check(db, 'no database');
    await db.query('UPDATE "School" SET name = $1 WHERE id = $2', [TAMPERED_NAME, school.id]);
    await tab().goto(`${base()}/`);
    await tab().getByRole('rowheader', { name: TAMPERED_NAME }).waitFor();
  });

  await runner.step('restore dialog: explains the replacement, shows the counts, opens and closes by keyboard', async () => {
    await tab().goto(`${base()}/admin/backups`);
    const open = rowOf(filename).getByRole('button', { name: 'Restore' });
    await open.click();
    const dialog = tab().getByRole('dialog', { name: 'Restore this backup?' });
    await dialog.getByText('All current data of every model will be replaced').waitFor();
    await dialog
      .getByText(/safety backup/)
      .first()
      .waitFor();
    const models = await dialog.locator('table tbody tr').count();
    check(models >= 2 && models <= 11, `expected the 10 largest models (+ the rest), got ${models} rows`);
    await dialog.locator('tfoot').getByText('Total').waitFor();
    const input = dialog.getByLabel('Type the backup name to confirm');
    check(await input.evaluate((element) => element === document.activeElement), 'the confirmation input does not have the focus');
    await tab().keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    check(await open.evaluate((element) => element === document.activeElement), 'the focus did not return to the Restore button');
  });

  await runner.step('restore: the button stays disabled until the file name is typed, then restores the record', async () => {
    await rowOf(filename).getByRole('button', { name: 'Restore' }).click();
    // The one open dialog: its title changes once the restore is done.
    const dialog = tab().getByRole('dialog');
    await tab().getByRole('dialog', { name: 'Restore this backup?' }).waitFor();
    // Restore stays disabled until the dialog has shown what the restore replaces (its row total).
    await dialog.locator('tfoot').getByText('Total').waitFor();
    const submit = dialog.getByRole('button', { name: 'Restore', exact: true });
    const input = dialog.getByLabel('Type the backup name to confirm');
    check(await submit.isDisabled(), 'Restore is enabled before anything is typed');
    await input.fill(filename.slice(0, -1));
    check(await submit.isDisabled(), 'Restore is enabled with a wrong name');
    await input.fill(filename);
    check(await submit.isEnabled(), 'Restore stays disabled with the right name');
    await screenshot('02-restore-dialog.png', false);
    // The rows the dialog says it will restore are the rows it then says it restored.
    const promised = (await dialog.locator('tfoot td').textContent())?.trim();
    await submit.click();
    await dialog.getByText(/^Restored [\d,]+ rows\.$/).waitFor({ timeout: SLOW_MS });
    await dialog.getByText(`Restored ${promised} rows.`, { exact: true }).waitFor();
    await tab().getByRole('dialog', { name: 'Backup restored' }).waitFor();
    await screenshot('03-restore-done.png', false);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const restored = await firstSchool();
    check(restored.id === school.id && restored.name === school.name, `the school is "${restored.name}", expected "${school.name}"`);
    await backupRows().filter({ hasText: 'Pre-restore' }).first().waitFor();
    await screenshot('04-dashboard-after-restore.png');
    await tab().goto(`${base()}/`);
    await tab().getByRole('rowheader', { name: school.name }).waitFor();
    check((await tab().getByText(TAMPERED_NAME).count()) === 0, 'the home page still shows the changed name');
  });

  await runner.step('pin the backup: its badge shows, and a retention preview keeps it as pinned (nothing is removed)', async () => {
    await tab().goto(`${base()}/admin/backups`);
    // The manual backup and the restore's safety backup (newer): "last 1" keeps only the safety backup.
    await previewManualRetention('1', /keep 1 and remove 1 backup\.$/);
    await rowOf(filename).getByRole('button', { name: 'Pin', exact: true }).click();
    await rowOf(filename).locator('.badge', { hasText: 'pinned' }).waitFor();
    await rowOf(filename).getByRole('button', { name: 'Unpin', exact: true }).waitFor();
    await previewManualRetention('1', /keep 2 and remove 0 backups\.$/);
    await tab().locator('table.retention-table tbody tr', { hasText: 'pinned' }).waitFor();
    await screenshot('04b-retention-preview.png');
    check(fs.existsSync(path.join(backupDir, filename)), 'a preview removed the backup file');
    await rowOf(filename).getByRole('button', { name: 'Unpin', exact: true }).click();
    await rowOf(filename).getByRole('button', { name: 'Pin', exact: true }).waitFor();
    check((await rowOf(filename).locator('.badge', { hasText: 'pinned' }).count()) === 0, 'the pinned badge stays after unpinning');
  });

  await runner.step('activity panel: filters reload through the audit action', async () => {
    await tab().goto(`${base()}/admin/backups`);
    const panel = tab().locator('section[aria-labelledby="activity-title"]');
    await panel.getByLabel('Action').selectOption({ label: 'Restored' });
    // The unfiltered list also starts with "restored": wait until every row is one.
    await tab().waitForFunction(() => {
      const cells = [...document.querySelectorAll('section[aria-labelledby="activity-title"] tbody tr td:nth-child(2)')];
      return cells.length > 0 && cells.every((cell) => cell.textContent === 'restored');
    });
    await panel.getByLabel('Outcome').selectOption({ label: 'Denied' });
    await panel.getByText('No activity matches these filters.').waitFor();
    // The signed-out download attempts: one row per minute, "anonymous", "×N" adding up to every attempt.
    await panel.getByLabel('Action').selectOption({ label: 'Access denied' });
    await panel.locator('tbody tr').first().waitFor();
    const denials = await panel
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((row) => ({ action: row.children[1]?.textContent ?? '', by: row.children[3]?.textContent ?? '' })));
    check(denials.length >= 1 && denials.length <= 2, `expected one row per minute of refused downloads, got ${JSON.stringify(denials)}`);
    check(
      denials.every((row) => row.by === 'anonymous'),
      `refused anonymous requests are not shown as anonymous: ${JSON.stringify(denials)}`,
    );
    const counted = denials.reduce((sum, row) => sum + Number(/×(\d+)/.exec(row.action)?.[1] ?? 1), 0);
    check(counted === ANONYMOUS_DENIALS, `the rows count ${counted} refusals, expected ${ANONYMOUS_DENIALS}: ${JSON.stringify(denials)}`);
    check(
      denials.some((row) => row.action.includes('×')),
      `no row shows a count: ${JSON.stringify(denials)}`,
    );
    await panel.getByLabel('Action').selectOption({ label: 'All backup actions' });
    await panel.getByLabel('Outcome').selectOption({ label: 'Any outcome' });
    await panel.locator('tbody tr td:nth-child(2)', { hasText: 'created' }).first().waitFor();
    // Sentences with units, the backup named by its file and linked to its row; raw values on demand.
    const created = panel.locator('tbody tr', { hasText: /Backup of [\d,]+ rows, [\d.]+ (B|KiB|MiB), took [\d.]+ s/ }).first();
    await created.waitFor();
    const link = created.getByRole('link', { name: filename });
    check((await link.getAttribute('href'))?.startsWith('#backup-'), 'the created row does not link to the backup row');
    await created.getByText('Raw values').click();
    await created.getByText(/"sizeBytes": \d+/).waitFor();
    check(db, 'no database');
    const [admin] = await db.query<{ name: string }>('SELECT name FROM "User" WHERE email = $1', ['admin@demo.school']);
    const by = await created.locator('td').nth(3).textContent();
    check(by === admin?.name, `the row says it was made by "${by}", not by the admin's name "${admin?.name}"`);
    // A period with nothing in it (tomorrow onwards), then back to every day.
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    await panel.getByLabel('From').fill(tomorrow);
    await panel.getByText('No activity matches these filters.').waitFor();
    check(new URL(tab().url()).searchParams.get('from') === tomorrow, 'the period is not in the URL');
    await panel.getByLabel('From').fill('');
    await panel.locator('tbody tr').first().waitFor();
  });

  await runner.step(
    'take two snapshots from the dashboard: listed as snapshots, the second reusing chunks; one downloads as a .enc',
    async () => {
      await tab().goto(`${base()}/admin/backups`);
      const before = await backupRows().count();
      const snapshot = async (taken: number) => {
        await tab().getByRole('button', { name: 'Take snapshot' }).click();
        // The new row shows up (running, then completed once the panel refreshes the list), newest first;
        // the panel's own status may still be the previous snapshot's until then.
        await backupRows()
          .nth(before + taken - 1)
          .waitFor({ timeout: SLOW_MS });
        const row = backupRows().first();
        await row.locator('.badge', { hasText: 'completed' }).waitFor();
        const name = (await row.locator('.backup-file').textContent()) ?? '';
        check(/^backup-.+\.manifest$/.test(name), `the snapshot is named "${name}"`);
        check((await row.locator('.backup-kind').textContent()) === 'Snapshot', `the row of ${name} does not say "Snapshot"`);
        // The cells after the row header: Type, then Size.
        const size = (await row.locator('td').nth(1).textContent()) ?? '';
        check(/^[\d.]+ (B|KiB|MiB) data/.test(size), `the size cell of ${name} reads "${size}"`);
        const detail = (await row.locator('.backup-size-detail').textContent()) ?? '';
        const counts = /^[\d.]+ (B|KiB|MiB) new · ([\d,]+) new \/ ([\d,]+) reused chunks?$/.exec(detail);
        check(counts, `the snapshot's detail reads "${detail}"`);
        return { name, fresh: Number(counts[2]?.replaceAll(',', '')), reused: Number(counts[3]?.replaceAll(',', '')) };
      };
      const first = await snapshot(1);
      check(first.fresh > 0 && first.reused === 0, `the first snapshot stored ${first.fresh} new and reused ${first.reused} chunks`);
      const second = await snapshot(2);
      // Only a few audit rows changed in between: most of the second snapshot's chunks are the first one's.
      check(second.reused > 0 && second.fresh < first.fresh, `the second snapshot stored ${second.fresh} new and reused ${second.reused}`);
      runner.log(`  ${first.name}: ${first.fresh} new; ${second.name}: ${second.fresh} new, ${second.reused} reused`);
      const full = backupRows().filter({ hasText: filename });
      check((await full.locator('.backup-kind').textContent()) === 'Full', 'the full backup does not say "Full"');
      check((await full.locator('.backup-size-detail').count()) === 0, 'a full backup shows chunk counts');
      await screenshot('04c-snapshots.png');
      // A snapshot downloads as one standalone encrypted file, named as one.
      const href = await rowOf(second.name).getByRole('link', { name: 'Download' }).getAttribute('href');
      check(href, 'no download link on the snapshot');
      const response = await tab().request.get(`${base()}${href}`);
      check(response.status() === 200, `the snapshot's download answered ${response.status()}`);
      const disposition = response.headers()['content-disposition'] ?? '';
      const standalone = second.name.replace(/\.manifest$/, '.enc');
      check(disposition === `attachment; filename="${standalone}"`, `the snapshot downloads as "${disposition}"`);
      // Not the tiny manifest: a whole file of about the full backup's size (the same records, sealed the same way).
      const body = await response.body();
      const fullSize = fs.statSync(path.join(backupDir, filename)).size;
      check(body.length > fullSize / 2 && body.length < fullSize * 2, `downloaded ${body.length} bytes; the full backup has ${fullSize}`);
      runner.log(`  downloaded ${standalone}: ${body.length} bytes (the full backup: ${fullSize})`);
    },
  );

  await runner.step('the dashboard passes axe, and works on a phone (no sideways scrolling)', async () => {
    check(browser, 'no browser');
    const cookies = await tab().context().cookies();
    await checkAccessibleAt(browser, `${base()}/admin/backups`, cookies, '/admin/backups');
    await checkAccessibleAt(browser, `${base()}/`, cookies, '/ (signed in)');
    await tab().setViewportSize(PHONE);
    for (const path of ['/admin/backups', '/']) {
      await tab().goto(`${base()}${path}`);
      await checkNoSidewaysScroll(tab(), `${path} at ${PHONE.width} px`, PHONE.width);
    }
    await tab().goto(`${base()}/admin/backups`);
    await screenshot('05-dashboard-phone.png');
    await schedulesPanel().getByRole('button', { name: 'Add schedule' }).click();
    await tab().getByRole('dialog', { name: 'Add a schedule' }).locator('.timing-description').waitFor();
    await checkNoSidewaysScroll(tab(), `the schedule dialog at ${PHONE.width} px`, PHONE.width);
    await screenshot('05b-schedule-dialog-phone.png', false);
    await tab().keyboard.press('Escape');
    await tab().setViewportSize(DESKTOP);
    await tab().goto(`${base()}/admin/backups`);
  });

  await runner.step('delete the backup after confirming: it leaves the table and the disk', async () => {
    const before = await backupRows().count();
    await rowOf(filename).getByRole('button', { name: 'Delete' }).click();
    const dialog = tab().getByRole('dialog', { name: 'Delete this backup?' });
    await dialog.getByRole('button', { name: 'Delete backup' }).click();
    await rowOf(filename).waitFor({ state: 'detached', timeout: SLOW_MS });
    check((await backupRows().count()) === before - 1, 'the table did not lose exactly one row');
    check(!fs.existsSync(path.join(backupDir, filename)), 'the file is still on disk');
    // The history keeps it: "Show deleted backups" lists it as deleted, with no actions left.
    await tab().getByRole('link', { name: 'Show deleted backups' }).click();
    await rowOf(filename).getByText('deleted', { exact: true }).waitFor();
    check((await rowOf(filename).getByRole('button', { name: 'Delete' }).count()) === 0, 'a deleted backup can be deleted again');
    await tab().getByRole('link', { name: 'Hide deleted backups' }).click();
    await rowOf(filename).waitFor({ state: 'detached' });
  });

  await runner.step('sign out: the session ends on the server, so a copy of its cookie is refused', async () => {
    const session = (await tab().context().cookies()).find((cookie) => cookie.name === 'erp_session');
    check(session, 'the signed-in browser has no erp_session cookie');
    const replay = () => fetch(`${base()}/admin/backups`, { headers: { cookie: `erp_session=${session.value}` }, redirect: 'manual' });
    check((await replay()).status === 200, 'the session cookie does not open the dashboard before signing out');
    await tab().getByRole('button', { name: 'Sign out' }).click();
    await tab().waitForURL(/\/login/);
    const after = await replay();
    check(
      after.status >= 300 && after.status < 400 && (after.headers.get('location') ?? '').includes('/login'),
      `the replayed cookie still opens the dashboard (HTTP ${after.status})`,
    );
  });

  await runner.step('a teacher signs in and gets the 403 page at /admin/backups', async () => {
    await tab().goto(`${base()}/admin/backups`);
    await tab().waitForURL(/\/login/);
    await signIn('teacher@demo.school');
    await tab().waitForURL(`${base()}/admin/backups`);
    await tab().getByRole('heading', { level: 1, name: '403 — Administrators only' }).waitFor();
    check((await tab().getByRole('button', { name: 'Create backup' }).count()) === 0, 'the teacher sees the Create button');
    check((await tab().getByRole('button', { name: 'Take snapshot' }).count()) === 0, 'the teacher sees the snapshot button');
    check((await tab().getByRole('link', { name: 'Backups', exact: true }).count()) === 0, 'the teacher is shown the Backups link');
    const reload = await tab().goto(`${base()}/admin/backups`);
    check(reload?.status() === 403, `the page answered HTTP ${reload?.status()} instead of 403`);
    await tab().getByRole('heading', { level: 1, name: '403 — Administrators only' }).waitFor();
    await screenshot('06-forbidden-teacher.png');
  });

  await runner.step('no errors in the browser console', async () => {
    check(browserErrors.length === 0, `browser errors:\n${browserErrors.join('\n')}`);
  });
}

/** Leaves nothing behind, whatever failed: browser, server, database, temp files. */
async function cleanup(): Promise<void> {
  if (runner.hasFailed && page) await screenshot('failure.png').catch(() => {});
  const serverLog = path.join(SHOTS, 'server.log');
  const tasks: [string, (() => Promise<unknown>) | undefined][] = [
    ['close Chromium', browser && (() => (browser as Browser).close())],
    ['stop the app', app?.stop],
    ['drop the scratch database', db?.drop],
    ['remove the temp directory', () => fs.promises.rm(tmp, { recursive: true, force: true })],
  ];
  for (const [name, task] of tasks) {
    try {
      await task?.();
    } catch (error) {
      runner.fail(`cleanup: ${name}`, error);
    }
  }
  if (runner.hasFailed && fs.existsSync(serverLog)) {
    console.log(`\n--- last lines of ${path.relative(ROOT, serverLog)} ---`);
    console.log(fs.readFileSync(serverLog, 'utf8').split('\n').slice(-40).join('\n'));
  }
}

// Only this run's screenshots and log, so CI's artifacts never mix runs.
fs.rmSync(SHOTS, { recursive: true, force: true });
fs.mkdirSync(SHOTS, { recursive: true });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    runner.fail('interrupted', signal);
    void cleanup().finally(() => process.exit(runner.finish()));
  });
}
try {
  await scenario();
} finally {
  await cleanup();
}
process.exit(runner.finish());
