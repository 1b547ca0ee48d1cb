import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectPage, fieldError, formMessage, logInInPage, navLink, newAccount, openProfile, screenshot, sessionCookies, signUpInPage } from './support/browser.ts';
import type { E2eServer } from './support/e2e-server.ts';
import { emailsTo, mailMark, nextLink } from './support/mailbox.ts';
import { announcements, focusedElement, forgetAnnouncements, hear, recordAnnouncements, tabTo } from './support/screen-reader.ts';
import { serveAppToChromium } from './support/suite.ts';

/** The account's own pages in Chromium: a new email address proven by the link sent to it, and the account deleted. */
describe('changing the email address and deleting the account in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  serveAppToChromium((started) => ({ server, browser } = started));

  /** Replaces the focused field's text by typing, as a keyboard user does. */
  const retype = async (page: Page, text: string) => {
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(text);
  };

  it('changes the email only once the link sent to the new address is followed, naming a wrong password and a taken address first', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const account = newAccount();
    const other = newAccount('Grace Hopper');
    const otherProfile = await openProfile(browser, server);
    await signUpInPage(await otherProfile.newTab(), other);
    await signUpInPage(page, account);
    await forgetAnnouncements(page);
    const newEmail = newAccount().email;

    // A wrong password: named under its field, which takes focus.
    await tabTo(page, 'textbox', 'New email');
    await page.keyboard.type(newEmail);
    await page.keyboard.press('Tab');
    await page.keyboard.type('not my password');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Current password', description: 'The current password is incorrect.', invalid: true });

    // An address another account uses: named under the new address.
    await retype(page, account.password);
    await tabTo(page, 'textbox', 'New email', { backwards: true });
    await retype(page, other.email);
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedElement(page)).toMatchObject({ role: 'textbox', name: 'New email', description: 'An account with this email already exists.', invalid: true });

    // The new address: nothing changes yet, the link goes there and a notice to the old one.
    await retype(page, newEmail);
    await tabTo(page, 'textbox', 'Current password');
    await retype(page, account.password);
    const mark = mailMark(server.mail);
    await page.keyboard.press('Enter');
    const almost = `Almost done: follow the link we sent to ${newEmail} to confirm the change. Until then your address stays ${account.email}.`;
    expect(await hear(page, almost)).toEqual([almost]);
    await formMessage(page, almost).waitFor();
    await screenshot(page, 'profile-email-change-sent');
    expect(await focusedElement(page), 'focus stays in the form').toMatchObject({ role: 'textbox', name: 'Current password' });
    expect(await page.getByLabel('Current password').inputValue(), 'the password does not linger').toBe('');
    const { link } = await nextLink(server.mail, newEmail, '/confirm-email', mark);
    await expect.poll(() => emailsTo(server.mail, account.email, mark).length, { message: 'the old address hears of it' }).toBeGreaterThan(0);
    await page.reload();
    await expectPage(page, 'profile');
    await expect.poll(() => page.locator('.profile-email').textContent()).toBe(account.email);

    // The link, logged in: the account moves, the page says so and the profile shows it.
    const answer = await page.goto(link.href);
    expect(answer?.headers()['referrer-policy']).toBe('no-referrer');
    await expectPage(page, 'confirm-email');
    expect(page.url()).toBe(`${server.origin}/confirm-email`);
    const changed = `Your account now uses ${newEmail}. Log in with it from now on.`;
    expect(await hear(page, changed)).toEqual([changed]);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Email address changed' });
    await screenshot(page, 'confirm-email');
    await tabTo(page, 'link', 'Go to your profile');
    await page.keyboard.press('Enter');
    await expectPage(page, 'profile');
    await expect.poll(() => page.locator('.profile-email').textContent()).toBe(newEmail);

    // Used once: opened again, it is refused.
    await page.goto(link.href);
    await expectPage(page, 'confirm-email');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('This link does not work');

    // The new address logs in; the old one no longer does.
    await page.goto('/profile');
    await expectPage(page, 'profile');
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectPage(page, 'login');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await formMessage(page, 'Incorrect email or password.').waitFor();
    await logInInPage(page, { email: newEmail, password: account.password });
    await profile.context.close();
    await otherProfile.context.close();
  });

  it('deletes the account after the password in a dialog: every device is logged out and the address can sign up again', async () => {
    const laptop = await openProfile(browser, server);
    await recordAnnouncements(laptop.context);
    const page = await laptop.newTab();
    const account = newAccount();
    await signUpInPage(page, account);
    const phone = await openProfile(browser, server);
    const phonePage = await phone.newTab();
    await logInInPage(phonePage, account);

    // The dialog opens on the password; Escape closes it, focus back on the button, nothing deleted.
    const opener = await tabTo(page, 'button', 'Delete account…');
    expect(opener).toMatchObject({ role: 'button' });
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Current password' });
    expect(await dialog.getAttribute('aria-labelledby').then((id) => page.locator(`[id="${id}"]`).textContent())).toBe('Delete your account?');
    await page.keyboard.press('Shift+Tab');
    expect(await focusedElement(page), 'Tab stays inside the dialog').toMatchObject({ role: 'button', name: 'Cancel' });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await focusedElement(page)).toMatchObject({ role: 'button', name: 'Delete account…' });

    // A wrong password: said in the dialog, which stays open with focus on the field.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await page.keyboard.type('not my password');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Current password', description: 'The current password is incorrect.', invalid: true });
    expect(await fieldError(page, 'currentPassword').textContent()).toBe('The current password is incorrect.');
    await screenshot(page, 'delete-account-dialog');

    // The right one: the login page, its heading focused, and why the user is there.
    await forgetAnnouncements(page);
    await retype(page, account.password);
    await page.keyboard.press('Enter');
    await expectPage(page, 'login');
    const deleted = 'Your account was deleted, and you were logged out.';
    await expect.poll(() => announcements(page)).toEqual(['Log in', deleted]);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Welcome back' });
    await formMessage(page, deleted).waitFor();
    expect(await sessionCookies(laptop.context)).toEqual([]);

    // The phone's session went with the account.
    await navLink(phonePage, 'Sessions').click();
    await expectPage(phonePage, 'login');

    // Nobody logs in with it any more, and the address is free for a new account.
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await formMessage(page, 'Incorrect email or password.').waitFor();
    await signUpInPage(page, { ...account, name: 'Ada Again' });
    await laptop.context.close();
    await phone.context.close();
  });
});
