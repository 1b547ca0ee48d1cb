import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectPage, fieldError, logInInPage, newAccount, openProfile, signUpInPage } from './support/browser.ts';
import { logInAsProgram, type E2eServer } from './support/e2e-server.ts';
import { serveAppToChromium } from './support/suite.ts';
import { announcements, focusedElement, forgetAnnouncements, recordAnnouncements, tabTo } from './support/screen-reader.ts';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/**
 * The app walked with the keyboard only (no click, no fill) and heard as a screen reader would:
 * after each step, where focus is (Chromium's accessibility tree: role, name, description) and what
 * the live regions announced.
 */
describe('the web app with the keyboard and a screen reader', () => {
  let server: E2eServer;
  let browser: Browser;
  serveAppToChromium((started) => ({ server, browser } = started));

  /** Announcements since the last call, forgetting them. */
  const heard = async (page: Page) => {
    const said = await announcements(page);
    await forgetAnnouncements(page);
    return said;
  };

  /** Waits until the announcements include `text`, then returns and forgets all of them. */
  const hear = async (page: Page, text: string) => {
    await expect.poll(() => announcements(page)).toContain(text);
    return heard(page);
  };

  /** Replaces the focused field's text by typing, as a keyboard user does. */
  const retype = async (page: Page, text: string) => {
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(text);
  };

  it('signs up, edits the name, revokes the other sessions, logs out and back in, focus and announcements following at every step', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const account = newAccount('Ada Lovelace');

    // Sign up with every field empty: all errors at once, the first invalid field focused.
    await page.goto('/signup');
    await expectPage(page, 'signup');
    expect(await page.getByLabel('Email').getAttribute('autocomplete')).toBe('username');
    expect(await tabTo(page, 'textbox', 'Name')).toMatchObject({ invalid: false });
    await page.keyboard.press('Enter');
    expect(await hear(page, '3 fields need correcting.')).toEqual(['3 fields need correcting.']);
    expect(await focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Name', description: 'Enter a name of 1 to 100 characters.', invalid: true });
    expect(await fieldError(page, 'email').textContent()).toBe('Enter your email address.');
    expect(await fieldError(page, 'password').textContent()).toBe('Use 8 to 128 characters.');
    for (const label of ['Email', 'Password']) expect(await page.getByLabel(label).getAttribute('aria-invalid')).toBe('true');

    await page.keyboard.type(account.name);
    expect(await tabTo(page, 'textbox', 'Email')).toMatchObject({ description: 'Enter your email address.', invalid: true });
    await page.keyboard.type(account.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(account.password);
    await page.keyboard.press('Enter');

    // The profile: focus on its heading (the user's name), the page announced.
    await expectPage(page, 'profile');
    expect(await hear(page, 'Profile')).toEqual(['Profile']);
    await expect.poll(() => focusedElement(page)).toMatchObject({ role: 'heading', name: account.name });

    // Edit the name: Save keeps focus through saving (it only turns inactive), the result announced.
    expect(await tabTo(page, 'textbox', 'Name')).toMatchObject({ invalid: false });
    await retype(page, 'Ada King');
    expect(await tabTo(page, 'button', 'Save changes')).toMatchObject({ disabled: false });
    await page.keyboard.press('Enter');
    expect(await hear(page, 'Your profile was saved.')).toEqual(['Your profile was saved.']);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Ada King');
    expect(await focusedElement(page), 'nothing left to save: inactive, still focused').toMatchObject({ role: 'button', name: 'Save changes', disabled: true });

    // Two other devices: a phone and a program.
    const phone = await openProfile(browser, server, { userAgent: IPHONE, viewport: { width: 390, height: 844 } });
    const phonePage = await phone.newTab();
    await logInInPage(phonePage, account);
    await logInAsProgram(server, account);

    // To the sessions page through the navigation, backwards from the form.
    await tabTo(page, 'link', 'Sessions', { backwards: true });
    await page.keyboard.press('Enter');
    await expectPage(page, 'sessions');
    expect(await hear(page, 'Sessions')).toEqual(['Sessions']);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Sessions' });
    await expect.poll(() => page.locator('[data-revoke]').count()).toBe(2);

    // Each Revoke button names its device. The first asks in a dialog that holds focus; Escape
    // closes it and nothing was ended.
    const first = await tabTo(page, 'button', /^Revoke /);
    const other = (await page.locator('[data-revoke]').nth(1).textContent())?.replace(/\s+/g, ' ').trim();
    expect([first.name, other].sort()).toEqual(['Revoke Node.js program, 127.0.0.1', 'Revoke Safari on iOS, 127.0.0.1']);
    const firstDevice = first.name.replace(/^Revoke /, '');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await focusedElement(page)).toMatchObject({ role: 'button', name: 'Cancel' });
    await page.keyboard.press('Tab');
    expect(await focusedElement(page), 'Tab wraps inside the dialog').toMatchObject({ role: 'button', name: 'Revoke' });
    await page.keyboard.press('Shift+Tab');
    expect(await focusedElement(page)).toMatchObject({ role: 'button', name: 'Cancel' });
    await page.keyboard.press('Shift+Tab');
    expect(await focusedElement(page)).toMatchObject({ role: 'button', name: 'Revoke' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedElement(page), 'focus is back on the button that opened it').toMatchObject({ role: 'button', name: first.name });
    expect(await page.locator('[data-revoke]').count()).toBe(2);

    // Confirmed: the row goes, focus moves to the next row's button, the result is announced.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-labelledby').then((id) => page.locator(`[id="${id}"]`).textContent())).toBe(
      `Revoke ${firstDevice.split(',')[0]}?`,
    );
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    expect(await hear(page, `${firstDevice} was logged out.`)).toEqual([`${firstDevice} was logged out.`]);
    await expect.poll(() => page.locator('[data-revoke]').count()).toBe(1);
    expect(await focusedElement(page)).toMatchObject({ role: 'button', name: other });

    // Log out everywhere else: asked first too; then focus on the list's heading.
    await tabTo(page, 'button', 'Log out everywhere else', { backwards: true });
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('1 other session will be logged out at once. This device stays logged in.');
    await page.keyboard.press('Shift+Tab');
    expect(await focusedElement(page)).toMatchObject({ role: 'button', name: 'Log out everywhere else' });
    await page.keyboard.press('Enter');
    expect(await hear(page, 'Logged out of 1 other session.')).toEqual(['Logged out of 1 other session.']);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Sessions' });
    await expect.poll(() => page.locator('[data-revoke]').count()).toBe(0);

    // Log out: the login page's heading, and why the user is there.
    await tabTo(page, 'button', 'Log out', { backwards: true });
    await page.keyboard.press('Enter');
    await expectPage(page, 'login');
    await expect.poll(() => announcements(page)).toEqual(['Log in', 'You have been logged out.']);
    await forgetAnnouncements(page);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Welcome back' });

    // A wrong password is announced once and focus stays in the field; the right one logs in.
    expect(await tabTo(page, 'textbox', 'Email')).toMatchObject({ invalid: false });
    await page.keyboard.type(account.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('not my password');
    await page.keyboard.press('Enter');
    expect(await hear(page, 'Incorrect email or password.')).toEqual(['Incorrect email or password.']);
    expect(await focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Password' });
    await retype(page, account.password);
    await page.keyboard.press('Enter');
    // Back where the logout happened.
    await expectPage(page, 'sessions');
    expect(await hear(page, 'Sessions')).toEqual(['Sessions']);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Sessions' });
    await phone.context.close();
    await profile.context.close();
  });

  it('offers a skip link past the header, which lands on the page’s heading', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    await signUpInPage(page, newAccount('Grace Hopper'));
    await page.goto('/sessions');
    await expectPage(page, 'sessions');
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toMatchObject({ role: 'link', name: 'Skip to content' });
    expect(await page.getByRole('link', { name: 'Skip to content' }).isVisible(), 'visible once focused').toBe(true);
    await page.keyboard.press('Enter');
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Sessions' });
    expect(await tabTo(page, 'button', 'Log out everywhere else', { limit: 1 })).toMatchObject({ disabled: true });
    await profile.context.close();
  });
});
