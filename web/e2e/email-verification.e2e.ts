import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectPage, formMessage, logInInPage, newAccount, openProfile, screenshot, sessionCookies, signUpInPage } from './support/browser.ts';
import { logInAsProgram, type E2eServer } from './support/e2e-server.ts';
import { mailMark, nextLink } from './support/mailbox.ts';
import { announcements, focusedElement, forgetAnnouncements, hear, recordAnnouncements, tabTo } from './support/screen-reader.ts';
import { serveAppToChromium } from './support/suite.ts';

const INVALID_LINK = 'This link is no longer valid: it was already used, a newer one replaced it, or it expired.';

/**
 * Proving the address: the email sent at sign-up, the banner and its Resend button, and the link
 * opened logged in and logged out, with the real emails from the SMTP relay.
 */
describe('email verification in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  // One new link an hour by request, so the second Resend meets the limit.
  serveAppToChromium((started) => ({ server, browser } = started), { env: { VERIFICATION_EMAIL_LIMIT_USER: '1/1h' } });

  const banner = (page: Page) => page.getByTestId('verify-email-banner');

  it('shows the banner after sign-up, resends a link that replaces the first, and verifies from the newest, the banner going at once', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const account = newAccount();
    const mark = mailMark(server.mail);
    await signUpInPage(page, account);
    await banner(page).waitFor();
    expect(await banner(page).textContent()).toContain(`Please verify your email address. Follow the link we sent to ${account.email}.`);
    expect(await page.locator('.profile-email').textContent()).toBe(account.email);
    expect(await page.getByText('Not verified', { exact: true }).isVisible(), 'the profile marks the address').toBe(true);
    await screenshot(page, 'profile-unverified');
    const first = await nextLink(server.mail, account.email, '/verify-email', mark);

    // Resend, by keyboard: the button keeps focus, the outcome is announced, a second email comes.
    await forgetAnnouncements(page);
    await tabTo(page, 'button', 'Resend email');
    const resent = mailMark(server.mail);
    await page.keyboard.press('Enter');
    const sent = `Sent: a new link is on its way to ${account.email}.`;
    expect(await hear(page, sent)).toEqual([sent]);
    expect(await focusedElement(page)).toMatchObject({ role: 'button', name: 'Resend email' });
    expect(await banner(page).locator('[data-banner-status]').textContent()).toBe(sent);
    const second = await nextLink(server.mail, account.email, '/verify-email', resent);
    expect(second.link.href).not.toBe(first.link.href);

    // Once more is too many: the wait is announced once and counts down, the button waits, focused.
    const limitedBefore = server.count('SendVerificationEmail', { status: 429 });
    await page.keyboard.press('Enter');
    const limited = /^Too many attempts\. Try again in (60 minutes|59 min \d+ s)\.$/;
    await expect.poll(async () => (await announcements(page)).filter((text) => limited.test(text))).toHaveLength(1);
    await expect.poll(() => banner(page).locator('[data-banner-status]').textContent()).toMatch(limited);
    expect(await focusedElement(page)).toMatchObject({ role: 'button', name: 'Resend email', disabled: true });
    await page.keyboard.press('Enter');
    expect(server.count('SendVerificationEmail', { status: 429 }), 'the waiting button sends nothing').toBe(limitedBefore + 1);
    await forgetAnnouncements(page);

    // The first link was replaced by the second: refused, and the way to a new one explained.
    await page.goto(first.link.href);
    await expectPage(page, 'verify-email');
    expect(page.url()).toBe(`${server.origin}/verify-email`);
    const refused = `${INVALID_LINK} While your address is not verified, the banner at the top of the page sends a new one.`;
    expect(await hear(page, refused)).toEqual([refused]);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'This link does not work' });
    await banner(page).waitFor();

    // The newest one verifies, logged in: the app's own `me` learns it, so the banner goes without a reload.
    await page.goto(second.link.href);
    await expectPage(page, 'verify-email');
    expect(page.url()).toBe(`${server.origin}/verify-email`);
    const verified = `Thank you: ${account.email} is verified.`;
    expect(await hear(page, verified)).toEqual([verified]);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Email verified' });
    await formMessage(page, verified).waitFor();
    await expect.poll(() => banner(page).count()).toBe(0);
    await screenshot(page, 'verify-email-logged-in');
    expect(await tabTo(page, 'link', 'Go to your profile')).toMatchObject({ role: 'link' });
    await page.keyboard.press('Enter');
    await expectPage(page, 'profile');
    expect(await hear(page, 'Profile')).toEqual(['Profile']);
    await expect.poll(() => page.locator('.profile-email').textContent()).toBe(account.email);
    expect(await page.getByText('Not verified', { exact: true }).count()).toBe(0);
    expect(await banner(page).count()).toBe(0);
    await page.reload();
    await expectPage(page, 'profile');
    await expect.poll(() => page.locator('.profile-email').textContent()).toBe(account.email);
    expect(await page.getByText('Not verified', { exact: true }).count()).toBe(0);
    expect(await banner(page).count(), 'still verified after a reload').toBe(0);
    await profile.context.close();
  });

  it('verifies from a browser that is not logged in, and offers the way to log in', async () => {
    const account = newAccount('Grace Hopper');
    const mark = mailMark(server.mail);
    const signup = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation ($input: SignupInput!) { signup(input: $input, transport: BEARER) { accessToken } }', variables: { input: account } }),
    });
    expect(signup.status).toBe(200);
    const { link } = await nextLink(server.mail, account.email, '/verify-email', mark);

    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const answer = await page.goto(link.href);
    expect(answer?.headers()['referrer-policy']).toBe('no-referrer');
    await expectPage(page, 'verify-email');
    expect(page.url()).toBe(`${server.origin}/verify-email`);
    const verified = `Thank you: ${account.email} is verified.`;
    expect(await hear(page, verified)).toEqual([verified]);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Email verified' });
    expect(await page.locator('.shell').count(), 'on its own, outside the app’s frame').toBe(0);
    await screenshot(page, 'verify-email');
    expect(await tabTo(page, 'link', 'Log in')).toMatchObject({ role: 'link' });
    await page.keyboard.press('Enter');
    await expectPage(page, 'login');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectPage(page, 'profile');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(account.name);
    expect(await banner(page).count()).toBe(0);
    await profile.context.close();
  });

  it('sends the token once when the page leaves the app’s frame because the session ended elsewhere meanwhile', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const account = newAccount('Katherine Johnson');
    const mark = mailMark(server.mail);
    await signUpInPage(page, account);
    const { link } = await nextLink(server.mail, account.email, '/verify-email', mark);
    // Another device ends every session; this browser still remembers its own.
    const accessToken = await logInAsProgram(server, account);
    await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ query: 'mutation { logoutAll }' }),
    });
    const sentBefore = server.count('VerifyEmail');

    await page.goto(link.href);
    await expectPage(page, 'verify-email');
    const verified = `Thank you: ${account.email} is verified.`;
    await expect.poll(() => announcements(page)).toContain(verified);
    await expect.poll(() => page.locator('.shell').count(), { message: 'on its own once logged out' }).toBe(0);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Email verified');
    expect(server.count('VerifyEmail') - sentBefore, 'one request for the single-use token').toBe(1);
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    await profile.context.close();
  });

  it('calls links with hostile tokens (a NUL, 6 000 characters) links that do not work', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    for (const token of ['%00abc', 'x'.repeat(6_000)]) {
      await page.goto(`/verify-email?token=${token}`);
      await expectPage(page, 'verify-email');
      expect(page.url()).toBe(`${server.origin}/verify-email`);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('This link does not work');
      await formMessage(page, INVALID_LINK).waitFor();
    }
    await profile.context.close();
  });
});

/** With `REQUIRE_EMAIL_VERIFICATION`, nobody logs in before the address is proven: what the pages say, and the way in. */
describe('a required email verification in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  serveAppToChromium((started) => ({ server, browser } = started), { env: { REQUIRE_EMAIL_VERIFICATION: 'true' } });

  it('signs up without a session, refuses the login until the newest link is followed, and points to the password reset', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const account = newAccount();
    const mark = mailMark(server.mail);
    await page.goto('/signup');
    await expectPage(page, 'signup');
    await page.getByLabel('Name').fill(account.name);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    const created = `Your account is created. Follow the link we sent to ${account.email} to verify the address, then log in.`;
    expect(await hear(page, created)).toEqual([created]);
    await formMessage(page, created).waitFor();
    expect(await sessionCookies(profile.context)).toEqual([]);
    await nextLink(server.mail, account.email, '/verify-email', mark);

    // The right password, an unproven address: the way in, and a fresh link.
    const afterSignup = mailMark(server.mail);
    await page.getByRole('link', { name: 'Go to the login page' }).click();
    await expectPage(page, 'login');
    await forgetAnnouncements(page);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    const unverified =
      'Your email address is not verified yet: follow the link in the newest email we sent to it, then log in again. No email? Reset your password, which proves the address too.';
    expect(await hear(page, unverified)).toEqual([unverified]);
    await formMessage(page, unverified).waitFor();
    await screenshot(page, 'login-email-not-verified');
    expect(await page.locator('[data-form-message="error"]').getByRole('link', { name: 'Reset your password' }).getAttribute('href')).toBe('/forgot-password');
    const { link } = await nextLink(server.mail, account.email, '/verify-email', afterSignup);

    // A wrong password hears nothing about the address.
    await page.getByLabel('Password').fill('not my password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await formMessage(page, 'Incorrect email or password.').waitFor();
    expect(await page.getByRole('link', { name: 'Reset your password' }).count()).toBe(0);

    // The newest link proves it; then the login goes through.
    await page.goto(link.href);
    await expectPage(page, 'verify-email');
    const verified = `Thank you: ${account.email} is verified.`;
    expect(await hear(page, verified)).toEqual([verified]);
    await page.getByRole('link', { name: 'Log in' }).click();
    await logInInPage(page, account);
    await profile.context.close();
  });
});
