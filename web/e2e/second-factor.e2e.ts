import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { codeAtServerTime, nextTotpCode } from './support/authenticator-app.ts';
import { expectPage, fieldError, formMessage, navLink, newAccount, openProfile, screenshot, signUpInPage, type Account } from './support/browser.ts';
import type { E2eServer } from './support/e2e-server.ts';
import { mailMark, nextLink } from './support/mailbox.ts';
import { announcements, focusedElement, forgetAnnouncements, hear, recordAnnouncements } from './support/screen-reader.ts';
import { serveAppToChromium } from './support/suite.ts';

const SECOND_STEP = 'Password accepted. Enter the code from your authenticator app, or a recovery code, to finish logging in.';
const WRONG_CODE = 'That code is not right. Enter the current code from your authenticator app, or an unused recovery code.';
const LOGIN_EXPIRED = 'Your login timed out or had too many wrong codes. Please log in again.';
const TURNED_ON = 'The authenticator app is on. Save your recovery codes: they are shown only once.';
const NEW_CODES = 'New recovery codes: the old ones no longer work. Save these: they are shown only once.';
const STEP_UP_NEEDED = 'For your security, this change needs your second factor: confirm it is you, then try again.';
const PASSWORD_CHANGED = 'Your password was changed. Your other devices were logged out.';
const PASSWORD_RESET = 'Your password was reset and you are logged in. Every other device was logged out.';

/** Past the 10 minutes in which a second factor proven at login allows sensitive changes. */
const PAST_STEP_UP_WINDOW_MS = 11 * 60_000;

/**
 * The second factor in Chromium: the authenticator app turned on from the security page (codes
 * computed from the secret the page shows, at the server's time), the login's second step with a
 * code or a recovery code, the challenge running out, and the step-up dialog before sensitive
 * changes; with where focus lands and what a screen reader hears at each step.
 */
describe('the second factor in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  serveAppToChromium((started) => ({ server, browser } = started));

  /** Turns the authenticator app on from the security page; answers its secret and the ten recovery codes. */
  const turnOnAuthenticatorApp = async (page: Page) => {
    await navLink(page, 'Security').click();
    await expectPage(page, 'security');
    await hear(page, 'Security');
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    await hear(page, 'Scan the QR code with your authenticator app, or type the setup key, then enter the code it shows.');
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Scan this QR code' });
    const qrCode = page.getByRole('img', { name: /^QR code for your authenticator app/ });
    await expect.poll(() => qrCode.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
    expect(secret).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/);
    await page.getByLabel('Code from the app').fill(codeAtServerTime(secret, server.clock));
    await page.getByRole('button', { name: 'Turn on' }).click();
    expect(await hear(page, TURNED_ON)).toEqual([TURNED_ON]);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Save your recovery codes' });
    const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    return { secret, codes };
  };

  /** Logs out from the app's header, and types email and password on the login page: the second step shows. */
  const passwordStep = async (page: Page, account: Account) => {
    if (!(await page.locator('[data-page="login"]').isVisible())) {
      await page.getByRole('button', { name: 'Log out' }).click();
      await expectPage(page, 'login');
    }
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await forgetAnnouncements(page);
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(await hear(page, SECOND_STEP)).toEqual([SECOND_STEP]);
    expect(await focusedElement(page)).toMatchObject({
      role: 'textbox',
      name: 'Authentication code',
      description: 'The 6 digits your authenticator app shows, or one of your recovery codes.',
    });
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Two-step verification');
  };

  /** Types a code into the focused code field and sends it. */
  const sendCode = async (page: Page, code: string) => {
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
  };

  it('turns the authenticator app on (QR code, setup key, recovery codes to download), then logs in with a code, and with a recovery code that works once', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const account = newAccount();
    await signUpInPage(page, account);
    const { secret, codes } = await turnOnAuthenticatorApp(page);
    await screenshot(page, 'security-recovery-codes');

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download as a text file' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('recovery-codes.txt');
    const file = await readFile(await download.path(), 'utf8');
    for (const code of codes) expect(file).toContain(code);
    expect(file).toContain(account.email);

    await page.getByRole('button', { name: 'I saved them' }).click();
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Authenticator app' });
    expect(await page.getByTestId('recovery-codes').count(), 'the codes are shown once').toBe(0);
    await expect.poll(() => page.getByTestId('totp-status').textContent()).toMatch(/^On/);
    expect(await page.getByTestId('recovery-codes-left').textContent()).toBe('10 recovery codes left.');
    await screenshot(page, 'security-authenticator-on');

    // A password alone no longer logs in: the second step asks for a code.
    await passwordStep(page, account);
    await screenshot(page, 'login-second-step');
    // A code of ten minutes ago is refused, under the field that keeps focus.
    await sendCode(page, codeAtServerTime(secret, server.clock, -20));
    await expect.poll(() => fieldError(page, 'code').textContent()).toBe(WRONG_CODE);
    expect(await focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Authentication code', description: WRONG_CODE, invalid: true });
    await sendCode(page, nextTotpCode(secret, server.clock));
    // Back where the user logged out from, its heading focused and announced.
    await expectPage(page, 'security');
    expect(await hear(page, 'Security')).toEqual(['Security']);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Security' });

    // A recovery code in the same field logs in too, once.
    await passwordStep(page, account);
    await sendCode(page, codes[0]!);
    await expectPage(page, 'security');
    await expect.poll(() => page.getByTestId('recovery-codes-left').textContent()).toBe('9 recovery codes left.');

    await passwordStep(page, account);
    await sendCode(page, codes[0]!);
    await expect.poll(() => fieldError(page, 'code').textContent()).toBe(WRONG_CODE);
    expect(await focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Authentication code', invalid: true });
    await sendCode(page, codes[1]!);
    await expectPage(page, 'security');
    expect(server.count('CompleteLogin', { status: 200 })).toBeGreaterThanOrEqual(5);
    await profile.context.close();
  });

  it('goes back to the password step with a message when the login challenge expired, the email kept and focus on the password', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const account = newAccount();
    await signUpInPage(page, account);
    const { secret } = await turnOnAuthenticatorApp(page);
    await page.getByRole('button', { name: 'I saved them' }).click();

    await passwordStep(page, account);
    // Five minutes later the challenge is dead, however right the code.
    server.clock.advance(5 * 60_000 + 1_000);
    await sendCode(page, codeAtServerTime(secret, server.clock));
    expect(await hear(page, LOGIN_EXPIRED)).toEqual([LOGIN_EXPIRED]);
    await formMessage(page, LOGIN_EXPIRED).waitFor();
    expect(await focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Password' });
    expect(await page.getByLabel('Email').inputValue()).toBe(account.email);
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Welcome back');
    await screenshot(page, 'login-challenge-expired');

    // Starting again works.
    await page.keyboard.type(account.password);
    await page.keyboard.press('Enter');
    expect(await hear(page, SECOND_STEP)).toEqual([SECOND_STEP]);
    await sendCode(page, nextTotpCode(secret, server.clock));
    await expectPage(page, 'security');
    await profile.context.close();
  });

  it('asks for a second factor in a dialog before sensitive changes once the one from login is 10 minutes old, then makes the change', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const account = newAccount();
    await signUpInPage(page, account);
    const { secret } = await turnOnAuthenticatorApp(page);
    await page.getByRole('button', { name: 'I saved them' }).click();
    server.clock.advance(PAST_STEP_UP_WINDOW_MS);

    // New recovery codes: confirmed, then the step-up dialog, a wrong code, the right one, and the codes.
    await page.getByRole('button', { name: 'New recovery codes…' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Make new codes' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await dialog.waitFor();
    await expect.poll(() => focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Code' });
    await screenshot(page, 'step-up-dialog');
    await page.keyboard.type('123');
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedElement(page)).toMatchObject({
      role: 'textbox',
      name: 'Code',
      description: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.',
      invalid: true,
    });
    await sendCode(page, nextTotpCode(secret, server.clock));
    expect(await hear(page, NEW_CODES)).toContain(NEW_CODES);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Save your recovery codes' });
    expect(await dialog.isVisible()).toBe(false);
    expect(server.count('RegenerateRecoveryCodes')).toBe(2);
    await page.getByRole('button', { name: 'I saved them' }).click();

    // Change password: giving up on the dialog leaves the form saying why, focus back on its button.
    server.clock.advance(PAST_STEP_UP_WINDOW_MS);
    await navLink(page, 'Password').click();
    await expectPage(page, 'change-password');
    const newPassword = 'another good password';
    await page.getByLabel('Current password').fill(account.password);
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill(newPassword);
    await forgetAnnouncements(page);
    await page.getByRole('button', { name: 'Change password' }).click();
    await dialog.waitFor();
    await expect.poll(() => focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Code' });
    await page.keyboard.press('Escape');
    expect(await hear(page, STEP_UP_NEEDED)).toEqual([STEP_UP_NEEDED]);
    await formMessage(page, STEP_UP_NEEDED).waitFor();
    expect(await focusedElement(page)).toMatchObject({ role: 'button', name: 'Change password' });

    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await expect.poll(() => focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Code' });
    await sendCode(page, nextTotpCode(secret, server.clock));
    expect(await hear(page, PASSWORD_CHANGED)).toEqual([PASSWORD_CHANGED]);
    await formMessage(page, PASSWORD_CHANGED).waitFor();
    await profile.context.close();
  });
});

describe('the second factor in Chromium, with a tight login limit', () => {
  let server: E2eServer;
  let browser: Browser;
  // Wrong codes count like wrong passwords: three tries in 15 minutes from one address.
  serveAppToChromium((started) => ({ server, browser } = started), { env: { LOGIN_LIMIT_ACCOUNT_IP: '3/15m' } });

  it('asks for the code after a password reset too, and counts the wait down once wrong codes meet the limit, its button inactive', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const account = newAccount();
    await signUpInPage(page, account);
    await navLink(page, 'Security').click();
    await expectPage(page, 'security');
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
    await page.getByLabel('Code from the app').fill(codeAtServerTime(secret, server.clock));
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByRole('button', { name: 'I saved them' }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectPage(page, 'login');

    // The reset link proves the address, not the second factor: the reset page asks for a code.
    const mark = mailMark(server.mail);
    const request = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation ($email: String!) { requestPasswordReset(email: $email) }', variables: { email: account.email } }),
    });
    expect(request.status).toBe(200);
    const { link } = await nextLink(server.mail, account.email, '/reset-password', mark);
    await page.goto(link.href);
    await expectPage(page, 'reset-password');
    const newPassword = 'a fresh start here';
    await page.getByLabel('New password', { exact: true }).fill(newPassword);
    await page.getByLabel('Repeat the new password').fill(newPassword);
    await page.getByRole('button', { name: 'Reset password' }).click();
    expect(await hear(page, SECOND_STEP)).toEqual([SECOND_STEP]);
    expect(await focusedElement(page)).toMatchObject({ role: 'textbox', name: 'Authentication code' });
    await page.keyboard.type(nextTotpCode(secret, server.clock));
    await page.keyboard.press('Enter');
    await expectPage(page, 'profile');
    await expect.poll(() => focusedElement(page)).toMatchObject({ role: 'heading', name: account.name });
    await formMessage(page, PASSWORD_RESET).waitFor();

    // Wrong codes after the new password, until the limit: the wait is counted down and announced once.
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectPage(page, 'login');
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByLabel('Authentication code').waitFor();
    await forgetAnnouncements(page);
    const limited = formMessage(page, 'Too many attempts. Try again in');
    for (let attempt = 0; attempt < 4 && !(await limited.isVisible()); attempt += 1) {
      await page.getByLabel('Authentication code').fill(codeAtServerTime(secret, server.clock, -20 - attempt));
      await page.getByRole('button', { name: 'Verify' }).click();
      await expect.poll(async () => (await limited.isVisible()) || (await fieldError(page, 'code').isVisible())).toBe(true);
    }
    await limited.waitFor();
    expect(server.count('CompleteLogin', { status: 429 })).toBe(1);
    const waits = async () => (await announcements(page)).filter((text) => text.startsWith('Too many attempts. Try again in '));
    await expect.poll(waits).toHaveLength(1);
    // The countdown ticks on the page, not in the screen reader's ear.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await waits()).toHaveLength(1);
    expect(await page.getByRole('button', { name: 'Verify' }).getAttribute('aria-disabled')).toBe('true');
    await screenshot(page, 'login-second-step-rate-limited');
    await profile.context.close();
  });
});

