import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectPage, navLink, newAccount, openProfile, pagesSeen, signUpInPage } from './support/browser.ts';
import type { E2eServer } from './support/e2e-server.ts';
import { serveAppToChromium } from './support/suite.ts';

/**
 * The server's clock jumps past the access token's lifetime while the browser's keeps running, so
 * the browser still believes its token is fresh and the server answers 401 `TOKEN_EXPIRED`: the
 * auth exchange's refresh-once path, exercised by the real app in a real browser.
 */
describe('access tokens expiring while the app is in use', () => {
  let server: E2eServer;
  let browser: Browser;
  serveAppToChromium((started) => ({ server, browser } = started));

  /** Requests from now on, for counting what one step caused. */
  const since = () => {
    const start = server.requests.length;
    return {
      count(operationName: string, filter: { status?: number; reason?: string } = {}) {
        return server.requests
          .slice(start)
          .filter(
            (entry) =>
              entry.operationName === operationName &&
              (filter.status === undefined || entry.status === filter.status) &&
              (filter.reason === undefined || entry.reason === filter.reason),
          ).length;
      },
    };
  };

  const showsProfileOf = async (page: Page, name: string) => {
    await expectPage(page, 'profile');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(name);
    await expect.poll(() => page.getByTestId('sessions-summary').textContent()).toBe('Logged in on this device only');
    await expect.poll(() => page.getByTestId('account-name').textContent()).toBe(name);
  };

  it('sends one refresh for the page’s parallel queries, replays each once, and does it again on a reload', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    const account = newAccount();
    await signUpInPage(page, account);
    await navLink(page, 'Sessions').click();
    await expectPage(page, 'sessions');
    await page.locator('[data-current]').waitFor();

    // The refresh takes a moment, as it would over a real network.
    server.delay('AuthRefresh', 300);
    server.expireAccessTokens();
    const navigation = since();
    await navLink(page, 'Profile').click();
    await showsProfileOf(page, account.name);
    expect(navigation.count('AuthRefresh'), 'one refresh').toBe(1);
    expect(navigation.count('AuthRefresh', { status: 200 })).toBe(1);
    for (const query of ['ProfilePage', 'SessionsSummary']) {
      expect(navigation.count(query, { status: 401, reason: 'TOKEN_EXPIRED' }), `${query} expired`).toBe(1);
      expect(navigation.count(query, { status: 200 }), `${query} replayed`).toBeGreaterThanOrEqual(1);
    }

    server.expireAccessTokens();
    const reload = since();
    await page.reload();
    await showsProfileOf(page, account.name);
    expect(await pagesSeen(page)).not.toContain('login');
    expect(reload.count('AuthRefresh'), 'one refresh for three queries').toBe(1);
    for (const query of ['Viewer', 'ProfilePage', 'SessionsSummary']) {
      expect(reload.count(query, { status: 401, reason: 'TOKEN_EXPIRED' }), `${query} expired`).toBe(1);
      expect(reload.count(query, { status: 200 }), `${query} replayed`).toBeGreaterThanOrEqual(1);
    }
    server.delay('AuthRefresh', 0);
    await profile.context.close();
  });

  it('two tabs whose token expires together rotate the refresh token once, and both stay logged in', async () => {
    const profile = await openProfile(browser, server);
    const first = await profile.newTab();
    const account = newAccount();
    await signUpInPage(first, account);
    const second = await profile.newTab();
    await second.goto('/profile');
    await showsProfileOf(second, account.name);
    expect(await pagesSeen(second)).not.toContain('login');

    server.delay('AuthRefresh', 500);
    server.expireAccessTokens();
    const together = since();
    await Promise.all([navLink(first, 'Sessions').click(), navLink(second, 'Sessions').click()]);
    for (const tab of [first, second]) {
      await expectPage(tab, 'sessions');
      await tab.locator('[data-current]').waitFor();
    }
    expect(together.count('SessionsPage', { status: 401, reason: 'TOKEN_EXPIRED' }), 'both tabs found the token expired').toBe(2);
    expect(together.count('AuthRefresh'), 'one rotation for both tabs').toBe(1);
    expect(together.count('AuthRefresh', { status: 200 })).toBe(1);
    expect(together.count('SessionsPage', { status: 200 }), 'each tab replayed its query').toBe(2);
    server.delay('AuthRefresh', 0);

    for (const tab of [first, second]) {
      await tab.reload();
      await expectPage(tab, 'sessions');
      await tab.locator('[data-current]').waitFor();
      expect(await pagesSeen(tab)).not.toContain('login');
    }
    expect(together.count('AuthRefresh'), 'still the one refresh').toBe(1);
    await profile.context.close();
  });
});
