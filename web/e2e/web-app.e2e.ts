import type { Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  expectPage,
  fieldError,
  formMessage,
  logInInPage,
  newAccount,
  openProfile,
  pagesSeen,
  screenshot,
  sessionCookies,
  signUpInPage,
  navLink,
} from './support/browser.ts';
import type { E2eServer } from './support/e2e-server.ts';
import { serveAppToChromium } from './support/suite.ts';
import { announcements, recordAnnouncements } from './support/screen-reader.ts';

describe('the web app in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  serveAppToChromium((started) => ({ server, browser } = started));

  it('runs under its Content-Security-Policy, which refuses an injected inline script and reports the violation', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    const answer = await page.goto('/login');
    expect(answer?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    await expectPage(page, 'login');
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.injected = "yes"';
      document.body.append(script);
      return document.body.dataset.injected ?? 'no';
    });
    expect(ran).toBe('no');
    // Chromium's own console message and the page's securitypolicyviolation event both report it.
    await expect.poll(() => profile.cspViolations.some((text) => text.startsWith('securitypolicyviolation: script-src'))).toBe(true);
    await expect.poll(() => profile.cspViolations.some((text) => /inline script violates .*Content Security Policy/.test(text))).toBe(true);
    // This violation was the point of the test; any other would fail it.
    profile.cspViolations.splice(0);
    await profile.context.close();
  });

  it('signs up, lands on the profile, keeps the session over a reload without showing the login page, and hides the tokens from scripts', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    await page.goto('/');
    await expectPage(page, 'login');
    await screenshot(page, 'login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await expectPage(page, 'signup');
    await screenshot(page, 'signup');

    const account = newAccount();
    await signUpInPage(page, account);
    expect(new URL(page.url()).pathname).toBe('/profile');
    await expect.poll(() => page.getByTestId('sessions-summary').textContent()).toBe('Logged in on this device only');
    await screenshot(page, 'profile');

    await page.reload();
    await expectPage(page, 'profile');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(account.name);
    expect(await pagesSeen(page), 'a logged-in user never sees the login page on reload').not.toContain('login');

    // A slow network: the app shows its frame and placeholders at once, then the data.
    for (const query of ['Viewer', 'ProfilePage', 'SessionsSummary']) server.delay(query, 1500);
    await page.reload();
    await page.locator('.skeleton-avatar').waitFor();
    expect(await page.getByTestId('sessions-summary').textContent()).toBe('Counting your devices…');
    await screenshot(page, 'profile-loading', { whileLoading: true });
    for (const query of ['Viewer', 'ProfilePage', 'SessionsSummary']) server.delay(query, 0);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(account.name);
    expect(await pagesSeen(page)).toEqual(['profile']);

    const cookies = await sessionCookies(profile.context);
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual(['access-token', 'refresh-token']);
    for (const cookie of cookies) expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    const visibleToScripts = await page.evaluate(() => document.cookie);
    expect(visibleToScripts).not.toMatch(/access-token|refresh-token/);
    const stored = await page.evaluate(() => JSON.stringify(localStorage));
    expect(stored, 'localStorage holds expiry times, not tokens').not.toMatch(/eyJ|accessToken":"[^n]/);
    expect(profile.foreignRequests).toEqual([]);
    await profile.context.close();
  });

  it('edits the name and avatar, with the server’s validation shown under each field', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    const account = newAccount('Grace Hopper');
    await signUpInPage(page, account);

    await page.getByLabel('Avatar URL').fill('ftp://example.com/me.png');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => fieldError(page, 'avatarUrl').textContent()).toMatch(/https:\/\//);
    await page.getByLabel('Name').fill('   ');
    await page.getByLabel('Avatar URL').fill('');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => fieldError(page, 'name').textContent()).toBe('Enter a name of 1 to 100 characters.');
    await screenshot(page, 'profile-validation');

    await page.getByLabel('Name').fill('Grace B. Hopper');
    await page.getByLabel('Avatar URL').fill(`${server.origin}/favicon.svg`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await formMessage(page, 'Your profile was saved.').waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Grace B. Hopper');
    await expect.poll(() => page.getByTestId('account-name').textContent(), { message: 'the header follows the change' }).toBe('Grace B. Hopper');

    await page.reload();
    await expectPage(page, 'profile');
    await expect.poll(() => page.getByLabel('Avatar URL').inputValue()).toBe(`${server.origin}/favicon.svg`);
    await profile.context.close();
  });

  it('refuses a plain-http avatar address (as the form says, https://), except on this machine', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    await signUpInPage(page, newAccount('Hedy Lamarr'));

    await page.getByLabel('Avatar URL').fill('http://example.com/hedy.png');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => fieldError(page, 'avatarUrl').textContent()).toMatch(/https:\/\//);
    await page.reload();
    await expectPage(page, 'profile');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Hedy Lamarr');
    expect(await page.getByLabel('Avatar URL').inputValue(), 'nothing was saved').toBe('');

    // Plain http on this machine is the exception.
    await page.getByLabel('Avatar URL').fill(`${server.origin}/favicon.svg`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await formMessage(page, 'Your profile was saved.').waitFor();
    await profile.context.close();
  });

  it('explains wrong credentials, a taken email, invalid input and rate limiting with the time to wait', async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const account = newAccount();
    await signUpInPage(page, account);
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectPage(page, 'login');

    await page.goto('/signup');
    const signUpsBefore = server.count('SignUp');
    // Every mistake the form can see shows at once, before the server is asked.
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.locator('[data-field-error]').evaluateAll((notes) => notes.map((note) => note.getAttribute('data-field-error')))).toEqual([
      'name',
      'email',
      'password',
    ]);
    expect(server.count('SignUp'), 'the server was not asked').toBe(signUpsBefore);
    await page.getByLabel('Name').fill('Someone Else');
    await page.getByLabel('Email').fill(account.email.toUpperCase());
    await page.getByLabel('Password').fill('short');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => fieldError(page, 'password').textContent()).toBe('Use 8 to 128 characters.');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('long enough password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => fieldError(page, 'email').textContent()).toMatch(/valid email/);
    await page.getByLabel('Email').fill(account.email.toUpperCase());
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => fieldError(page, 'email').textContent()).toBe('An account with this email already exists.');
    await screenshot(page, 'signup-email-taken');

    await page.getByRole('link', { name: 'Log in' }).click();
    await expectPage(page, 'login');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => fieldError(page, 'email').textContent()).toBe('Enter your email address.');
    await page.getByLabel('Email').fill(account.email);
    const answeredBefore = server.count('LogIn', { status: 200 });
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      await page.getByLabel('Password').fill(`wrong password ${attempt}`);
      await page.getByRole('button', { name: 'Log in' }).click();
      await expect.poll(() => server.count('LogIn', { status: 200 })).toBe(answeredBefore + attempt);
      await formMessage(page, 'Incorrect email or password.').waitFor();
    }
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    const message = page.locator('[data-form-message="error"]');
    await expect.poll(() => message.textContent()).toMatch(/^Too many attempts\. Try again in (15 minutes|14 min \d+ s)\.$/);
    expect(await page.getByRole('button', { name: 'Log in' }).getAttribute('aria-disabled'), 'the button waits out the limit').toBe('true');
    expect(server.count('LogIn', { status: 429 })).toBe(1);
    await screenshot(page, 'login-rate-limited');

    // The wait is announced once, when it starts; the number counts down on screen only.
    const limited = (said: string[]) => said.filter((text) => text.startsWith('Too many attempts.'));
    await expect.poll(async () => limited(await announcements(page))).toHaveLength(1);
    const [announced] = limited(await announcements(page));
    expect(announced).toMatch(/^Too many attempts\. Try again in (15 minutes|14 min \d+ s)\.$/);
    const shown = await message.textContent();
    await expect.poll(() => message.textContent(), { timeout: 5_000 }).not.toBe(shown);
    expect(limited(await announcements(page)), 'not announced again as it counts down').toEqual([announced]);
    await profile.context.close();
  });

  it('gives the change-password form a hidden username field with the account, as password managers and Chromium ask', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    const chromiumAdvice: string[] = [];
    page.on('console', (message) => {
      if (/username field/i.test(message.text())) chromiumAdvice.push(message.text());
    });
    const account = newAccount();
    await signUpInPage(page, account);
    // Loaded afresh, so Chromium inspects this form as a page of its own.
    await page.goto('/password');
    await expectPage(page, 'change-password');
    const username = page.locator('form input[autocomplete="username"]');
    await expect.poll(() => username.inputValue()).toBe(account.email);
    expect(await username.isHidden()).toBe(true);
    expect(await username.getAttribute('name')).toBe('username');
    expect(chromiumAdvice).toEqual([]);
    await profile.context.close();
  });

  it('shows an accessible not-found page for unknown paths, logged out and logged in, with a link home', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    await page.goto('/no-such-page');
    await expectPage(page, 'not-found');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found');
    expect(await page.title()).toBe('Page not found · GraphQL Auth');
    await screenshot(page, 'not-found');
    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await expectPage(page, 'login');

    const account = newAccount();
    await signUpInPage(page, account);
    await page.goto('/profile/typo');
    await expectPage(page, 'not-found');
    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await expectPage(page, 'profile');
    await profile.context.close();
  });

  it('changes the password: a wrong current password is named, and the other devices are logged out', async () => {
    const laptop = await openProfile(browser, server);
    const phone = await openProfile(browser, server);
    const page = await laptop.newTab();
    const phonePage = await phone.newTab();
    const account = newAccount();
    await signUpInPage(page, account);
    await logInInPage(phonePage, account);

    await navLink(page, 'Password').click();
    await expectPage(page, 'change-password');
    await page.getByLabel('Current password').fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill('a brand new secret');
    await page.getByLabel('Repeat the new password').fill('a brand new secret');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => fieldError(page, 'currentPassword').textContent()).toBe('The current password is incorrect.');
    await page.getByLabel('Repeat the new password').fill('a different secret');
    await page.getByLabel('Current password').fill(account.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => fieldError(page, 'confirmation').textContent()).toBe('The two new passwords do not match.');
    await screenshot(page, 'change-password-errors');
    await page.getByLabel('Repeat the new password').fill('a brand new secret');
    await page.getByRole('button', { name: 'Change password' }).click();
    await formMessage(page, 'Your password was changed.').waitFor();
    await screenshot(page, 'change-password');

    await navLink(phonePage, 'Sessions').click();
    await expectPage(phonePage, 'login');
    await formMessage(phonePage, 'Your session was ended from another device.').waitFor();
    await logInInPage(phonePage, { email: account.email, password: 'a brand new secret' }, 'sessions');
    await laptop.context.close();
    await phone.context.close();
  });

  it('logs out: the session cookies are gone, and protected pages go to the login page and back after it', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    const account = newAccount();
    await signUpInPage(page, account);
    expect(await sessionCookies(profile.context)).toHaveLength(2);
    const logoutsBefore = server.count('AuthLogout', { status: 200 });

    await page.getByRole('button', { name: 'Log out' }).click();
    await expectPage(page, 'login');
    await formMessage(page, 'You have been logged out.').waitFor();
    expect(await sessionCookies(profile.context)).toEqual([]);
    expect(server.count('AuthLogout', { status: 200 })).toBe(logoutsBefore + 1);

    for (const path of ['/profile', '/sessions', '/password']) {
      await page.goto(path);
      await expectPage(page, 'login');
      expect(new URL(page.url()).pathname).toBe('/login');
    }
    await logInInPage(page, account, 'change-password');
    expect(new URL(page.url()).pathname, 'back where the user wanted to go').toBe('/password');
    await profile.context.close();
  });

  it('fits a phone screen', async () => {
    const profile = await openProfile(browser, server, { viewport: { width: 390, height: 844 } });
    const page = await profile.newTab();
    await signUpInPage(page, newAccount('Katherine Johnson'));
    await screenshot(page, 'profile-mobile');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, 'no sideways scrolling').toBe(0);
    await profile.context.close();
  });
});
