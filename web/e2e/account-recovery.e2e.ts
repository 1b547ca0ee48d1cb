import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectPage, fieldError, formMessage, logInInPage, navLink, newAccount, openProfile, screenshot, signUpInPage } from './support/browser.ts';
import type { E2eServer } from './support/e2e-server.ts';
import { emailsTo, mailMark, nextLink } from './support/mailbox.ts';
import { announcements, focusedElement, forgetAnnouncements, hear, recordAnnouncements, tabTo } from './support/screen-reader.ts';
import { serveAppToChromium } from './support/suite.ts';

const PASSWORD_RESET = 'Your password was reset and you are logged in. Every other device was logged out.';
const INVALID_LINK = 'This link is no longer valid: it was already used, a newer one replaced it, or it expired.';

const checkYourEmail = (email: string) =>
  `Check your email. If an account uses ${email}, a link to reset its password is on its way. It works once, for a limited time.`;

/**
 * A forgotten password, from the login page to a new session, with the real email the server
 * sent through the SMTP relay: its link opened in the page as a user clicks it.
 */
describe('a forgotten password in Chromium, by email', () => {
  let server: E2eServer;
  let browser: Browser;
  // One reset link an hour per address, so a second request meets the limit.
  serveAppToChromium((started) => ({ server, browser } = started), { env: { PASSWORD_RESET_LIMIT_EMAIL: '1/1h' } });

  /** Asks for a reset link on the forgot-password page, by keyboard, and hears the confirmation. */
  const requestResetLink = async (page: Page, email: string) => {
    await page.goto('/login');
    await expectPage(page, 'login');
    expect(await tabTo(page, 'link', 'Forgot password?')).toMatchObject({ role: 'link' });
    await page.keyboard.press('Enter');
    await expectPage(page, 'forgot-password');
    expect(await hear(page, 'Forgot password')).toEqual(['Forgot password']);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Forgot your password?' });
    await tabTo(page, 'textbox', 'Email');
    await page.keyboard.type(email);
    await page.keyboard.press('Enter');
    expect(await hear(page, checkYourEmail(email))).toEqual([checkYourEmail(email)]);
    await formMessage(page, checkYourEmail(email)).waitFor();
    await screenshot(page, 'forgot-password-sent');
    expect(await focusedElement(page), 'focus stays in the form').toMatchObject({ role: 'textbox', name: 'Email' });
  };

  it('resets the password from the emailed link: the token leaves the address bar, no referrer goes out, this browser is logged in and the one logged in before is logged out', async () => {
    const account = newAccount();
    const laptop = await openProfile(browser, server);
    const laptopPage = await laptop.newTab();
    await signUpInPage(laptopPage, account);

    const phone = await openProfile(browser, server);
    await recordAnnouncements(phone.context);
    const page = await phone.newTab();
    const mark = mailMark(server.mail);
    const requestSent = page.waitForRequest((request) => request.postData()?.includes('RequestPasswordReset') ?? false);
    await requestResetLink(page, account.email);
    expect((await requestSent).headers().referer, 'other pages send their address as the Referer').toBe(`${server.origin}/forgot-password`);
    const { email, link } = await nextLink(server.mail, account.email, '/reset-password', mark);
    expect(email.subject).not.toBe('');
    expect(link.origin).toBe(server.origin);
    expect(link.searchParams.get('token')).toMatch(/^[\w-]{40,}$/);

    // The page takes the token out of the address bar before anything else, and a page loaded
    // from it learns nothing of where it came from.
    const answer = await page.goto(link.href);
    expect(answer?.headers()['referrer-policy']).toBe('no-referrer');
    await expectPage(page, 'reset-password');
    expect(page.url()).toBe(`${server.origin}/reset-password`);
    expect(await page.evaluate(() => location.search)).toBe('');
    await page.evaluate(() => location.assign('/login'));
    await expectPage(page, 'login');
    expect(await page.evaluate(() => document.referrer), 'no referrer from the token page').toBe('');

    await page.goto(link.href);
    await expectPage(page, 'reset-password');
    await screenshot(page, 'reset-password');
    expect(await tabTo(page, 'textbox', 'New password')).toMatchObject({ description: 'At least 8 characters. A few unrelated words work well.' });
    await page.keyboard.type('short');
    await page.keyboard.press('Enter');
    expect(await hear(page, '2 fields need correcting.')).toEqual(['2 fields need correcting.']);
    expect(await focusedElement(page)).toMatchObject({ role: 'textbox', name: 'New password', description: 'Use 8 to 128 characters.', invalid: true });
    expect(await fieldError(page, 'confirmation').textContent()).toBe('The two passwords do not match.');

    const newPassword = 'a fresh start here';
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(newPassword);
    await page.keyboard.press('Tab');
    await page.keyboard.type(newPassword);
    const resetSent = page.waitForRequest((request) => request.postData()?.includes('ResetPassword') ?? false);
    await page.keyboard.press('Enter');
    expect((await resetSent).headers().referer, 'no Referer from the token page').toBeUndefined();

    // Logged in here, on the profile: its heading focused, the reset and the page announced.
    await expectPage(page, 'profile');
    expect(new URL(page.url()).pathname).toBe('/profile');
    await expect.poll(() => announcements(page)).toEqual([PASSWORD_RESET, 'Profile']);
    await expect.poll(() => focusedElement(page)).toMatchObject({ role: 'heading', name: account.name });
    await formMessage(page, PASSWORD_RESET).waitFor();
    await screenshot(page, 'profile-after-password-reset');
    expect(await page.getByTestId('verify-email-banner').count(), 'the link proved the address').toBe(0);

    // The laptop's session ended: its next request lands on the login page, which says why.
    await navLink(laptopPage, 'Sessions').click();
    await expectPage(laptopPage, 'login');
    await formMessage(laptopPage, 'Your session was ended from another device.').waitFor();
    await laptopPage.getByLabel('Email').fill(account.email);
    await laptopPage.getByLabel('Password').fill(account.password);
    await laptopPage.getByRole('button', { name: 'Log in' }).click();
    await formMessage(laptopPage, 'Incorrect email or password.').waitFor();
    await logInInPage(laptopPage, { email: account.email, password: newPassword }, 'sessions');

    // The link worked once: opened again, it is refused with a way to ask for a new one.
    await page.goto(link.href);
    await expectPage(page, 'reset-password');
    await forgetAnnouncements(page);
    await page.getByLabel('New password', { exact: true }).fill('yet another password');
    await page.getByLabel('Repeat the new password').fill('yet another password');
    await page.getByRole('button', { name: 'Reset password' }).click();
    expect(await hear(page, INVALID_LINK)).toEqual([INVALID_LINK]);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'This link does not work' });
    await formMessage(page, INVALID_LINK).waitFor();
    await screenshot(page, 'reset-password-link-spent');
    await tabTo(page, 'link', 'Request a new link');
    await page.keyboard.press('Enter');
    await expectPage(page, 'forgot-password');
    expect(emailsTo(server.mail, account.email, mark).filter((message) => message.text.includes('/reset-password?token=')), 'one reset email').toHaveLength(1);
    await laptop.context.close();
    await phone.context.close();
  });

  it('answers an unknown address with the same words, and sends nothing', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const known = newAccount();
    const signup = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation ($input: SignupInput!) { signup(input: $input, transport: BEARER) { accessToken } }', variables: { input: known } }),
    });
    expect(signup.status).toBe(200);
    const stranger = newAccount().email;
    const mark = mailMark(server.mail);
    await requestResetLink(page, stranger);
    // A known address asked after it, the same way: once its link has arrived, the unknown one's would have too.
    await requestResetLink(page, known.email);
    await nextLink(server.mail, known.email, '/reset-password', mark);
    expect(emailsTo(server.mail, stranger, mark)).toEqual([]);
    await profile.context.close();
  });

  it('shows a link without a token as not working, with the way to a new one', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    await page.goto('/reset-password');
    await expectPage(page, 'reset-password');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link does not work');
    await formMessage(page, INVALID_LINK).waitFor();
    await page.getByRole('link', { name: 'Request a new link' }).click();
    await expectPage(page, 'forgot-password');
    await profile.context.close();
  });

  it('counts a second request for the same address down, announced once, whether or not it has an account', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const stranger = newAccount().email;
    await requestResetLink(page, stranger);
    await page.keyboard.press('Enter');
    const limited = /^Too many attempts\. Try again in (60 minutes|59 min \d+ s)\.$/;
    await expect.poll(async () => (await announcements(page)).filter((text) => limited.test(text))).toHaveLength(1);
    await expect.poll(() => page.locator('[data-form-message="error"]').textContent()).toMatch(limited);
    expect(await page.locator('[data-form-message="success"]').count(), 'the confirmation goes').toBe(0);
    expect(await page.getByRole('button', { name: 'Send the link' }).getAttribute('aria-disabled')).toBe('true');
    await profile.context.close();
  });
});
