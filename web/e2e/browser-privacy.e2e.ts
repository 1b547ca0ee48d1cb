import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectPage, formMessage, logInInPage, navLink, newAccount, openProfile, signUpInPage } from './support/browser.ts';
import type { E2eServer } from './support/e2e-server.ts';
import { serveAppToChromium } from './support/suite.ts';

declare global {
  interface Window {
    /** What this tab heard on the auth client's BroadcastChannel. */
    __tabMessages?: unknown[];
  }
}

/** What the browser keeps of a session (disk cache, localStorage, messages between tabs) and when it learns the session ended. */
describe('what the browser keeps and learns', () => {
  let server: E2eServer;
  let browser: Browser;
  serveAppToChromium((started) => ({ server, browser } = started));

  it('keeps no GraphQL answer in the HTTP cache: every answer, errors included, says Cache-Control: no-store', async () => {
    // A context of its own: the usual test profile intercepts requests, and with that Chromium bypasses its cache.
    const context = await browser.newContext({ baseURL: server.origin });
    const page = await context.newPage();
    const answers: { url: string; cacheControl: string | undefined }[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/graphql') answers.push({ url: response.url(), cacheControl: response.headers()['cache-control'] });
    });
    await signUpInPage(page, newAccount());

    const probe = await page.evaluate(async () => {
      const url = `/graphql?query=${encodeURIComponent('query CacheProbe { me { id email } }')}`;
      const headers = { 'x-graphql-yoga-csrf': '1', accept: 'application/json' };
      const first = await fetch(url, { headers });
      const firstBody = await first.text();
      // Without the CSRF header: refused, and under another address, so it cannot replace the answer above in the cache.
      const refused = await fetch(`${url}&operationName=CacheProbe`);
      let cached: string | null = null;
      try {
        const again = await fetch(url, { headers, cache: 'only-if-cached', mode: 'same-origin' });
        cached = `${again.status} ${await again.text()}`;
      } catch {
        cached = null;
      }
      return {
        status: first.status,
        email: firstBody.includes('@example.com'),
        cacheControl: first.headers.get('cache-control'),
        vary: first.headers.get('vary'),
        refused: { status: refused.status, cacheControl: refused.headers.get('cache-control') },
        cached,
      };
    });
    expect(probe).toMatchObject({ status: 200, email: true, cacheControl: 'no-store', refused: { status: 403, cacheControl: 'no-store' } });
    expect(probe.vary).toMatch(/Cookie/);
    expect(probe.cached, 'the answer is not in the browser cache').toBeNull();
    expect(answers.some((answer) => answer.url.includes('?')), 'the app sent GET queries').toBe(true);
    expect(answers.filter((answer) => answer.cacheControl !== 'no-store')).toEqual([]);
    await context.close();
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
    await laptopPage.getByRole('dialog').getByRole('button', { name: 'Log out everywhere else' }).click();
    await formMessage(laptopPage, 'Logged out of 2 other sessions.').waitFor();

    await comeBack(phonePage, 'visibilitychange');
    await expectPage(phonePage, 'login');
    await formMessage(phonePage, 'Your session was ended from another device. Please log in again.').waitFor();
    await comeBack(tabletPage, 'focus');
    await expectPage(tabletPage, 'login');
    await formMessage(tabletPage, 'Your session was ended from another device. Please log in again.').waitFor();

    await comeBack(laptopPage, 'focus');
    await expect.poll(() => server.count('AuthSessionCheck', { status: 200 })).toBeGreaterThanOrEqual(1);
    expect(await laptopPage.locator('[data-page="sessions"]').isVisible(), 'the laptop’s own session still holds').toBe(true);
    for (const profile of [laptop, phone, tablet]) await profile.context.close();
  });
});
