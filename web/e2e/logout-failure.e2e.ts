import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TcpProxy } from '@graphql-auth/test-kit/tcp-proxy';
import { startPostgresProxy } from '@graphql-auth/test-kit/test-database';
import { expectPage, formMessage, launchBrowser, newAccount, openProfile, sessionCookies, signUpInPage, type BrowserProfile } from './support/browser.ts';
import { startE2eServer, type E2eServer } from './support/e2e-server.ts';

/**
 * A logout the server never confirmed must not pretend: the session would live on behind the
 * HttpOnly cookies while every tab said "You have been logged out.".
 */
describe('a logout the server does not confirm', () => {
  let server: E2eServer;
  let browser: Browser;
  let database: TcpProxy;
  beforeAll(async () => {
    database = await startPostgresProxy();
    [server, browser] = await Promise.all([startE2eServer({}, { connectVia: database.via }), launchBrowser()]);
  });
  afterAll(async () => {
    database?.restore();
    await browser?.close();
    await server?.close();
    await database?.close();
  });

  /** A profile with the account open in two tabs, each done loading. */
  const twoTabs = async (): Promise<{ profile: BrowserProfile; first: Page; second: Page }> => {
    const profile = await openProfile(browser, server);
    const account = newAccount();
    const first = await profile.newTab();
    await signUpInPage(first, account);
    const second = await profile.newTab();
    await second.goto('/profile');
    await expectPage(second, 'profile');
    for (const tab of [first, second]) {
      await expect.poll(() => tab.getByTestId('account-name').textContent()).toBe(account.name);
      await expect.poll(() => tab.getByRole('heading', { level: 1 }).textContent()).toBe(account.name);
      await expect.poll(() => tab.getByTestId('sessions-summary').textContent()).toBe('Logged in on this device only');
    }
    return { profile, first, second };
  };

  /** The failure is said in the tab that tried; every tab stays in the account, and a new tab opens it. */
  const expectStillLoggedIn = async ({ profile, first, second }: { profile: BrowserProfile; first: Page; second: Page }) => {
    await expect.poll(() => first.getByRole('alert').textContent()).toMatch(/^Logging out failed/);
    await first.getByRole('button', { name: 'Try again' }).waitFor();
    for (const tab of [first, second]) {
      expect(await tab.locator('[data-page="profile"]').isVisible()).toBe(true);
      expect(await formMessage(tab, 'You have been logged out.').count()).toBe(0);
    }
    expect(await sessionCookies(profile.context)).toHaveLength(2);
    const third = await profile.newTab();
    await third.goto('/profile');
    await expectPage(third, 'profile');
    await third.close();
  };

  /** A retry the server confirms logs out every tab, and the account no longer opens. */
  const retryLogsOutEverywhere = async ({ profile, first, second }: { profile: BrowserProfile; first: Page; second: Page }) => {
    const confirmedBefore = server.count('AuthLogout', { status: 200 });
    await first.getByRole('button', { name: 'Try again' }).click();
    for (const tab of [first, second]) {
      await expectPage(tab, 'login');
      await formMessage(tab, 'You have been logged out.').waitFor();
    }
    expect(server.count('AuthLogout', { status: 200 })).toBe(confirmedBefore + 1);
    expect(await sessionCookies(profile.context)).toEqual([]);
    const third = await profile.newTab();
    await third.goto('/profile');
    await expectPage(third, 'login');
  };

  it('keeps every tab logged in when the logout request is dropped, and logs out everywhere on a retry', async () => {
    const tabs = await twoTabs();
    await tabs.first.route('**/graphql', (route) =>
      route.request().postData()?.includes('"operationName":"AuthLogout"') ? route.abort('connectionreset') : route.fallback(),
    );
    await tabs.first.getByRole('button', { name: 'Log out' }).click();
    await expectStillLoggedIn(tabs);
    expect(server.count('AuthLogout'), 'the request never reached the server').toBe(0);

    await tabs.first.unroute('**/graphql');
    await retryLogsOutEverywhere(tabs);
    await tabs.profile.context.close();
  });

  it('keeps every tab logged in while the database is down (503), and logs out everywhere once a retry gets through', async () => {
    const tabs = await twoTabs();
    const unavailableBefore = server.count('AuthLogout', { status: 503 });
    database.cut();
    try {
      await tabs.first.getByRole('button', { name: 'Log out' }).click();
      await expect.poll(() => server.count('AuthLogout', { status: 503 })).toBe(unavailableBefore + 1);
    } finally {
      database.restore();
    }
    await expect.poll(async () => (await fetch(`${server.origin}/readyz`)).status).toBe(200);
    await expectStillLoggedIn(tabs);

    await retryLogsOutEverywhere(tabs);
    await tabs.profile.context.close();
  });
});
