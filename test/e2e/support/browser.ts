import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { ROOT } from './server.js';

/** Debian's Chromium: the only browser the tests use (never a downloaded one). */
export const CHROMIUM = '/usr/bin/chromium';
export const RESULTS = join(ROOT, 'test-results');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/**
 * Whether the browser tests can run. Without Chromium they are skipped with a loud message on a developer's
 * machine, and fail under CI (CI=true), where a missing browser must never pass for a green run.
 */
export function browserAvailability(): { run: boolean; message?: string } {
  if (existsSync(CHROMIUM)) return { run: true };
  const message =
    `${CHROMIUM} is missing: install Debian's Chromium (apt-get install -y chromium; .ci/run does it) ` +
    'to run the browser tests.';
  if (process.env.CI === 'true') throw new Error(`CI=true and ${message}`);
  console.warn(`\n${'!'.repeat(72)}\n  SKIPPING THE BROWSER TESTS: ${message}\n${'!'.repeat(72)}\n`);
  return { run: false, message };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000 });
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught page errors seen so far (a test fails on any). */
  errors: string[];
}

/** A fresh context (own storage) and page whose console errors, page errors and failed requests are collected. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  viewport = { width: 1280, height: 860 },
): Promise<WatchedPage> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'en-GB', timezoneId: 'Africa/Cairo' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()} @ ${msg.location().url}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => {
    const failure = req.failure()?.errorText ?? '';
    // A request the app aborts itself (a superseded query) is not an error.
    if (!/ERR_ABORTED|NS_BINDING_ABORTED/.test(failure)) errors.push(`requestfailed: ${req.url()} ${failure}`);
  });
  page.setDefaultTimeout(15_000);
  return { page, context, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Signs in through the login form and waits for the dashboard. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel(/email|البريد|почта/i).fill(email);
  await page
    .getByLabel(/password|كلمة المرور|пароль/i)
    .first()
    .fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
}
