import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { codeAtServerTime } from './support/authenticator-app.ts';
import { expectPage, newAccount, openProfile, signUpInPage } from './support/browser.ts';
import { logInAsProgram, type E2eServer } from './support/e2e-server.ts';
import { serveAppToChromium } from './support/suite.ts';
import {
  axeViolations,
  emulateForcedColors,
  focusedElement,
  focusRing,
  focusRingsOfEveryTabStop,
  screenshotFocus,
  tabTo,
  type AxeViolation,
  type FocusRing,
} from './support/screen-reader.ts';

const VIEWPORTS = {
  desktop: { width: 1200, height: 800 },
  mobile: { width: 390, height: 844 },
};

/** A ring a keyboard user sees: an outline (kept in forced colours) of 2 px or more, 3:1 against its surroundings. */
const isVisibleRing = (ring: FocusRing) => ring.outlineStyle !== 'none' && ring.outlineWidthPx >= 2 && ring.contrast >= 3;

/**
 * The automated audit and what it cannot see: axe-core on every page and state, desktop and
 * mobile; the focus ring of every Tab stop; forced colours; reflow at 320 px; reduced motion.
 */
describe('the web app’s accessibility audit', () => {
  let server: E2eServer;
  let browser: Browser;
  serveAppToChromium((started) => ({ server, browser } = started));

  /** Loads `path` afresh and waits for its page, with no request pending. */
  const open = async (page: Page, path: string, name: string) => {
    await page.goto(path);
    await expectPage(page, name);
    await page.waitForLoadState('networkidle');
  };

  for (const [viewportName, viewport] of Object.entries(VIEWPORTS)) {
    it(`${viewportName}: every page and state has no axe-core violation (WCAG 2.1 A/AA, best practice), and every Tab stop shows a focus ring of at least 3:1`, async () => {
      const profile = await openProfile(browser, server, { viewport });
      const page = await profile.newTab();
      const violations: Record<string, AxeViolation[]> = {};
      const faintRings: Record<string, FocusRing[]> = {};
      const audit = async (state: string, { rings = true } = {}) => {
        violations[state] = await axeViolations(page);
        if (rings) faintRings[state] = (await focusRingsOfEveryTabStop(page)).filter((ring) => !isVisibleRing(ring));
      };

      await open(page, '/login', 'login');
      await audit('login');
      await open(page, '/forgot-password', 'forgot-password');
      await audit('forgot password');
      await open(page, '/reset-password?token=not-a-real-token', 'reset-password');
      await audit('reset password');
      await open(page, '/reset-password', 'reset-password');
      await audit('reset password without a token');
      await open(page, '/verify-email?token=not-a-real-token', 'verify-email');
      await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
      await audit('verify email with a link that does not work');
      await open(page, '/no-such-page', 'not-found');
      await audit('not found');
      await open(page, '/signup', 'signup');
      await audit('signup');
      await page.getByRole('button', { name: 'Create account' }).click();
      await page.locator('[data-field-error="password"]').waitFor();
      await audit('signup with every field wrong', { rings: false });

      const account = newAccount();
      await signUpInPage(page, account);
      // A second session on the account, so the sessions page has a Revoke button.
      await logInAsProgram(server, account);
      await open(page, '/profile', 'profile');
      await page.getByTestId('verify-email-banner').waitFor();
      await audit('profile, with the banner asking to verify the address');
      await page.getByRole('button', { name: 'Delete account…' }).click();
      await page.getByRole('dialog').waitFor();
      await audit('profile with the delete dialog');
      await page.keyboard.press('Escape');
      await open(page, '/sessions', 'sessions');
      await page.locator('[data-revoke]').waitFor();
      await audit('sessions');
      await page.locator('[data-revoke]').click();
      await page.getByRole('dialog').waitFor();
      await audit('sessions with the revoke dialog');
      await page.keyboard.press('Escape');
      await open(page, '/password', 'change-password');
      await audit('change password');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.locator('[data-field-error="currentPassword"]').waitFor();
      await audit('change password with every field wrong', { rings: false });

      await open(page, '/security', 'security');
      await audit('security');
      await page.getByRole('button', { name: 'Set up authenticator app' }).click();
      await page.getByRole('img', { name: /^QR code/ }).waitFor();
      await audit('security, setting up the authenticator app');
      const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
      await page.getByLabel('Code from the app').fill(codeAtServerTime(secret, server.clock));
      await page.getByRole('button', { name: 'Turn on' }).click();
      await page.getByTestId('recovery-codes').waitFor();
      await audit('security with the recovery codes shown once');
      await page.getByRole('button', { name: 'I saved them' }).click();
      await audit('security with the authenticator app on');
      // Past the step-up window of the login, so new recovery codes ask for a second factor.
      server.clock.advance(11 * 60_000);
      await page.getByRole('button', { name: 'New recovery codes…' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Make new codes' }).click();
      await page.getByRole('dialog', { name: 'Confirm it’s you' }).waitFor();
      await audit('security with the step-up dialog');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Log out' }).click();
      await expectPage(page, 'login');
      await page.getByLabel('Email').fill(account.email);
      await page.getByLabel('Password').fill(account.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByLabel('Authentication code').waitFor();
      await audit('login, second step');

      expect(violations).toEqual(Object.fromEntries(Object.keys(violations).map((state) => [state, []])));
      expect(faintRings).toEqual(Object.fromEntries(Object.keys(faintRings).map((state) => [state, []])));
      await profile.context.close();
    });
  }

  it('keeps focus rings as outlines in forced colours (screenshots of focused states under test-results/screenshots/forced-colors-*)', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    await emulateForcedColors(page, true);
    expect(await page.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);
    const rings: Record<string, FocusRing> = {};
    const capture = async (name: string) => {
      rings[name] = await focusRing(page);
      await screenshotFocus(page, `forced-colors-${name}`);
    };

    await open(page, '/login', 'login');
    await tabTo(page, 'textbox', 'Email');
    await capture('login-email');
    await tabTo(page, 'button', 'Log in');
    await capture('login-button');

    const account = newAccount();
    await signUpInPage(page, account);
    // A second session on the account, so the sessions page has a Revoke button.
    await logInAsProgram(server, account);
    await open(page, '/profile', 'profile');
    await page.keyboard.press('Tab');
    expect(await focusedElement(page)).toMatchObject({ name: 'Skip to content' });
    await capture('skip-link');
    await tabTo(page, 'link', 'Sessions');
    await capture('navigation-link');
    await tabTo(page, 'button', 'Save changes');
    await capture('inactive-save-button');

    await open(page, '/sessions', 'sessions');
    await page.locator('[data-revoke]').waitFor();
    await tabTo(page, 'button', /^Revoke /);
    await capture('revoke-button');
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await capture('revoke-dialog-cancel');

    expect(Object.entries(rings).filter(([, ring]) => !isVisibleRing(ring))).toEqual([]);
    await profile.context.close();
  });

  it('reflows a 46-character email at 390 and 320 px: no sideways scrolling, the whole address shown', async () => {
    for (const width of [390, 320]) {
      const profile = await openProfile(browser, server, { viewport: { width, height: 800 } });
      const page = await profile.newTab();
      // No hyphen or other place where a line may break, as in the address that overflowed.
      const account = { ...newAccount('Augusta Ada King'), email: `augustaadakingcountesslovelace${crypto.randomUUID().slice(0, 4)}@example.com` };
      expect(account.email).toHaveLength(46);
      await signUpInPage(page, account);
      for (const [path, name] of [
        ['/profile', 'profile'],
        ['/sessions', 'sessions'],
        ['/password', 'change-password'],
        ['/security', 'security'],
      ] as const) {
        await open(page, path, name);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `${path} at ${width} px scrolls sideways by ${overflow} px`).toBe(0);
      }
      await open(page, '/profile', 'profile');
      const email = page.locator('.profile-email');
      expect(await email.textContent()).toBe(account.email);
      const box = await email.boundingBox();
      expect(box && box.x + box.width <= width, 'the address fits the screen').toBe(true);
      await screenshotFocus(page, `profile-long-email-${width}`);
      await profile.context.close();
    }
  });

  it('stops the spinner and the placeholders’ shimmer when reduced motion is asked for', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    await signUpInPage(page, newAccount());
    const animation = (selector: string) => page.locator(selector).first().evaluate((element) => getComputedStyle(element).animationName);

    server.delay('ProfilePage', 1500);
    await page.reload();
    await page.locator('.skeleton-avatar').waitFor();
    expect(await animation('.skeleton-avatar'), 'moving without the preference').toBe('shimmer');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await animation('.skeleton-avatar')).toBe('none');
    server.delay('ProfilePage', 0);

    await expectPage(page, 'profile');
    await page.getByLabel('Name').fill('Someone Else');
    server.delay('UpdateProfile', 1500);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('button .spinner').waitFor();
    expect(await animation('button .spinner')).toBe('none');
    server.delay('UpdateProfile', 0);
    await profile.context.close();
  });
});
