import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectPage, formMessage, logInInPage, navLink, newAccount, openProfile, screenshot, signUpInPage } from './support/browser.ts';
import { logInAsProgram, type E2eServer } from './support/e2e-server.ts';
import { serveAppToChromium } from './support/suite.ts';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

describe('the sessions page', () => {
  let server: E2eServer;
  let browser: Browser;
  serveAppToChromium((started) => ({ server, browser } = started));

  const meAsProgram = async (accessToken: string) => {
    const response = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    return (await response.json()) as { errors?: { extensions: { reason?: string } }[] };
  };

  it('lists each device with its address and last use, marks this one, and revoking another sends that browser to the login page', async () => {
    const laptop = await openProfile(browser, server);
    const phone = await openProfile(browser, server, { userAgent: IPHONE, viewport: { width: 390, height: 844 } });
    const account = newAccount();
    const laptopPage = await laptop.newTab();
    await signUpInPage(laptopPage, account);
    const phonePage = await phone.newTab();
    await logInInPage(phonePage, account);
    await logInAsProgram(server, account);

    await navLink(laptopPage, 'Sessions').click();
    await expectPage(laptopPage, 'sessions');
    const rows = laptopPage.locator('.session[data-session-id]');
    await expect.poll(() => rows.count()).toBe(3);
    const current = laptopPage.locator('[data-current]');
    expect(await current.locator('.session-title').textContent()).toBe('Chrome on LinuxThis device');
    expect(await current.textContent()).toContain('127.0.0.1');
    expect(await current.getByRole('button', { name: 'Revoke' }).count(), 'this device is ended by logging out').toBe(0);
    const phoneRow = rows.filter({ hasText: 'Safari on iOS' });
    expect(await phoneRow.textContent()).toMatch(/127\.0\.0\.1 · Last active just now · Logged in/);
    expect(await rows.filter({ hasText: 'Node.js program' }).count()).toBe(1);
    await screenshot(laptopPage, 'sessions');

    await phoneRow.getByRole('button', { name: 'Revoke Safari on iOS, 127.0.0.1' }).click();
    const dialog = laptopPage.getByRole('dialog', { name: 'Revoke Safari on iOS?' });
    await dialog.waitFor();
    await screenshot(laptopPage, 'sessions-revoke-dialog');
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.filter({ hasText: 'Safari on iOS' }).count()).toBe(0);

    await navLink(phonePage, 'Sessions').click();
    await expectPage(phonePage, 'login');
    await formMessage(phonePage, 'Your session was ended from another device. Please log in again.').waitFor();
    expect(new URL(phonePage.url()).pathname).toBe('/login');
    await screenshot(phonePage, 'login-session-ended');
    await laptop.context.close();
    await phone.context.close();
  });

  it('logs out everywhere else, keeping this device', async () => {
    const laptop = await openProfile(browser, server);
    const desktop = await openProfile(browser, server);
    const account = newAccount();
    const laptopPage = await laptop.newTab();
    await signUpInPage(laptopPage, account);
    const desktopPage = await desktop.newTab();
    await logInInPage(desktopPage, account);
    const programToken = await logInAsProgram(server, account);

    await navLink(laptopPage, 'Sessions').click();
    const rows = laptopPage.locator('.session[data-session-id]');
    await expect.poll(() => rows.count()).toBe(3);
    await laptopPage.getByRole('button', { name: 'Log out everywhere else' }).click();
    const dialog = laptopPage.getByRole('dialog', { name: 'Log out everywhere else?' });
    expect(await dialog.textContent()).toContain('2 other sessions will be logged out at once.');
    expect(await rows.count(), 'nothing ends before the confirmation').toBe(3);
    await dialog.getByRole('button', { name: 'Log out everywhere else' }).click();
    await formMessage(laptopPage, 'Logged out of 2 other sessions.').waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await laptopPage.getByRole('button', { name: 'Log out everywhere else' }).getAttribute('aria-disabled')).toBe('true');
    await screenshot(laptopPage, 'sessions-others-logged-out');

    expect((await meAsProgram(programToken)).errors?.[0]?.extensions.reason).toBe('SESSION_REVOKED');
    await navLink(desktopPage, 'Sessions').click();
    await expectPage(desktopPage, 'login');
    await laptopPage.reload();
    await expectPage(laptopPage, 'sessions');
    await laptop.context.close();
    await desktop.context.close();
  });
});
