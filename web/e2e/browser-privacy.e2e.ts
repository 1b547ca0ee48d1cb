import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectPage, launchBrowser, logInInPage, navLink, newAccount, openProfile, signUpInPage } from './support/browser.ts';
import { startE2eServer, type E2eServer } from './support/e2e-server.ts';

declare global {
  interface Window {
    /** What this tab heard on the auth client's BroadcastChannel. */
    __tabMessages?: unknown[];
  }
}

/** What the browser keeps of a session (localStorage, messages between tabs) and when it learns the session ended. */
describe('what the browser keeps and learns', () => {
  let server: E2eServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('stores and tells other tabs only the user id and expiry times, never the email or name', async () => {
    const profile = await openProfile(browser, server);
    const listener = await profile.newTab();
    await listener.goto('/login');
    await expectPage(listener, 'login');
    await listener.evaluate(() => {
      const heard: unknown[] = [];
      window.__tabMessages = heard;
      new BroadcastChannel('graphql-auth').onmessage = (event: MessageEvent<unknown>) => void heard.push(event.data);
    });

    const page = await profile.newTab();
    const account = newAccount('Ada Secretname');
    await signUpInPage(page, account);
    // A refresh announces the renewed session to the other tabs too.
    server.expireAccessTokens();
    await navLink(page, 'Sessions').click();
    await expectPage(page, 'sessions');
    await page.locator('[data-current]').waitFor();

    const heard = () => listener.evaluate(() => JSON.stringify(window.__tabMessages ?? []));
    await expect.poll(async () => (await heard()).match(/"type":"session"/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    for (const tab of [page, listener]) {
      const stored = await tab.evaluate(() => localStorage.getItem('graphql-auth.session'));
      expect(stored).toMatch(/"user":\{"id":"[0-9a-f-]+"\}/);
      expect(stored).not.toContain(account.email);
      expect(stored).not.toContain('Secretname');
    }
    expect(await heard()).not.toContain(account.email);
    expect(await heard()).not.toContain('Secretname');
    await profile.context.close();
  });

  /** Headless Chromium keeps every tab visible and focused, so the test sends the events a tab gets when someone comes back to it. */
  const comeBack = (page: Page, event: 'visibilitychange' | 'focus') =>
    page.evaluate((name) => (name === 'focus' ? window : document).dispatchEvent(new Event(name)), event);

  it('checks the session when an idle tab becomes visible again or gets focus, so it learns at once that it was logged out elsewhere', async () => {
    const laptop = await openProfile(browser, server);
    const phone = await openProfile(browser, server);
    const tablet = await openProfile(browser, server);
    const account = newAccount();
    const laptopPage = await laptop.newTab();
    await signUpInPage(laptopPage, account);
    const phonePage = await phone.newTab();
    await logInInPage(phonePage, account);
    const tabletPage = await tablet.newTab();
    await logInInPage(tabletPage, account);

    await navLink(laptopPage, 'Sessions').click();
    await expect.poll(() => laptopPage.locator('.session[data-session-id]').count()).toBe(3);
    await laptopPage.getByRole('button', { name: 'Log out everywhere else' }).click();
    await laptopPage.getByText('Logged out of 2 other sessions.').waitFor();

    await comeBack(phonePage, 'visibilitychange');
    await expectPage(phonePage, 'login');
    await phonePage.getByText('Your session was ended from another device. Please log in again.').waitFor();
    await comeBack(tabletPage, 'focus');
    await expectPage(tabletPage, 'login');
    await tabletPage.getByText('Your session was ended from another device. Please log in again.').waitFor();

    await comeBack(laptopPage, 'focus');
    await expect.poll(() => server.count('AuthSessionCheck', { status: 200 })).toBeGreaterThanOrEqual(1);
    expect(await laptopPage.locator('[data-page="sessions"]').isVisible(), 'the laptop’s own session still holds').toBe(true);
    for (const profile of [laptop, phone, tablet]) await profile.context.close();
  });
});
