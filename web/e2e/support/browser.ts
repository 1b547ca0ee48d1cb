import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect, onTestFinished } from 'vitest';
import type { E2eServer } from './e2e-server.ts';

/** Debian's Chromium; nothing is downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));

/** Starts headless Chromium with the flags above. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
}

/** A browser profile of one person (its own cookies and storage), and what it tried to fetch elsewhere. */
export interface BrowserProfile {
  context: BrowserContext;
  /** Requests for anything outside the server's origin (they are refused: nothing comes from the internet). */
  foreignRequests: string[];
  /** Content-Security-Policy violations its pages reported; any one fails the test that opened the profile. */
  cspViolations: string[];
  newTab(): Promise<Page>;
}

declare global {
  interface Window {
    /** Every page (`data-page`) the app rendered since the document loaded, in order. */
    __pagesSeen?: string[];
  }
}

/**
 * Opens a fresh profile on `server`. Each of its tabs records the pages it renders (to catch a
 * login page that flashes for a logged-in user), and requests to other origins are refused and
 * recorded.
 */
export async function openProfile(
  browser: Browser,
  server: E2eServer,
  { viewport = { width: 1200, height: 800 }, userAgent }: { viewport?: { width: number; height: number }; userAgent?: string } = {},
): Promise<BrowserProfile> {
  const context = await browser.newContext({ baseURL: server.origin, viewport, ...(userAgent ? { userAgent } : {}) });
  const foreignRequests: string[] = [];
  await context.route(
    (url) => url.origin !== server.origin && url.protocol !== 'data:' && url.protocol !== 'blob:',
    (route) => {
      foreignRequests.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  await context.addInitScript(() => {
    const seen: string[] = [];
    window.__pagesSeen = seen;
    const record = () => {
      for (const element of document.querySelectorAll('[data-page]')) {
        const name = element.getAttribute('data-page') ?? '';
        if (seen[seen.length - 1] !== name) seen.push(name);
      }
    };
    new MutationObserver(record).observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-page'] });
    // Reported as a console error, which the context below collects with Chromium's own CSP messages.
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`securitypolicyviolation: ${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} on ${event.documentURI}`),
    );
  });
  const cspViolations: string[] = [];
  context.on('console', (message) => {
    if (message.type() === 'error' && /securitypolicyviolation|Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  onTestFinished(() => expect(cspViolations, 'the pages broke their Content-Security-Policy').toEqual([]));
  context.setDefaultTimeout(15_000);
  return { context, foreignRequests, cspViolations, newTab: () => context.newPage() };
}

/** The pages the tab rendered since its document loaded. */
export function pagesSeen(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__pagesSeen ?? []);
}

/** Waits for the app to show `name` (`data-page`): login, signup, profile, sessions, change-password. */
export async function expectPage(page: Page, name: string): Promise<void> {
  await page.locator(`[data-page="${name}"]`).waitFor({ state: 'visible' });
}

/**
 * Saves a full-page screenshot to test-results/screenshots/<name>.png, once no request is pending
 * (unless `whileLoading`, to show a loading state).
 */
export async function screenshot(page: Page, name: string, { whileLoading = false } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  if (!whileLoading) await page.waitForLoadState('networkidle');
  await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true, caret: 'hide', animations: 'disabled' });
}

/**
 * A message about a whole form or page as the page shows it (an error, a success, a notice). The
 * same text may also sit in the screen-reader announcements, which this leaves out.
 */
export function formMessage(page: Page, text: string) {
  return page.locator('[data-form-message]').getByText(text);
}

/** A field's error message as the page shows it under the input named `name`. */
export function fieldError(page: Page, name: string) {
  return page.locator(`[data-field-error="${name}"]`);
}

/** The account a test signs up with; emails never collide across tests. */
export function newAccount(name = 'Ada Lovelace') {
  return { name, email: `ada-${crypto.randomUUID().slice(0, 8)}@example.com`, password: 'correct horse battery' };
}

export type Account = ReturnType<typeof newAccount>;

/** Signs up through the page and waits for the profile. */
export async function signUpInPage(page: Page, account: Account): Promise<void> {
  await page.goto('/signup');
  await expectPage(page, 'signup');
  await page.getByLabel('Name').fill(account.name);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expectPage(page, 'profile');
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(account.name);
}

/** Logs in through the page (from wherever it is) and waits for the app. */
export async function logInInPage(page: Page, account: Pick<Account, 'email' | 'password'>, landing = 'profile'): Promise<void> {
  if (!(await page.locator('[data-page="login"]').isVisible())) await page.goto('/login');
  await expectPage(page, 'login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expectPage(page, landing);
}

/** The session cookies of a profile (the device-token cookie is not one of them). */
export async function sessionCookies(context: BrowserContext) {
  const cookies = await context.cookies();
  return cookies.filter((cookie) => /(^|__Host-)(access|refresh)-token$/.test(cookie.name));
}

/** A link of the app's top navigation: Profile, Sessions, Password, Security. */
export function navLink(page: Page, label: 'Profile' | 'Sessions' | 'Password' | 'Security') {
  return page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: label });
}
