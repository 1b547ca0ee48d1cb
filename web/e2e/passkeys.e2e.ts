import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectPage, formMessage, navLink, newAccount, openProfile, screenshot, signUpInPage, type Account } from './support/browser.ts';
import type { E2eServer } from './support/e2e-server.ts';
import { focusedElement, forgetAnnouncements, hear, recordAnnouncements } from './support/screen-reader.ts';
import { serveAppToChromium } from './support/suite.ts';
import { addVirtualAuthenticator, storedCredentials } from './support/virtual-authenticator.ts';

const PASSKEY_STEP = 'Password accepted. Use your passkey to finish logging in.';

/** Past the 10 minutes in which a second factor proven at login allows sensitive changes. */
const PAST_STEP_UP_WINDOW_MS = 11 * 60_000;

/**
 * Passkeys in Chromium, through its virtual authenticator (DevTools `WebAuthn`): real WebAuthn
 * ceremonies against the server's relying party. The app runs at `http://localhost:<port>`, its
 * PUBLIC_ORIGIN, because WebAuthn refuses an IP address such as 127.0.0.1 as a relying party ID.
 */
describe('passkeys in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  serveAppToChromium((started) => ({ server, browser } = started), { host: 'localhost' });

  /** A new account in a tab with a virtual authenticator, on the security page. */
  const signUpWithAuthenticator = async () => {
    const profile = await openProfile(browser, server);
    await recordAnnouncements(profile.context);
    const page = await profile.newTab();
    const authenticatorId = await addVirtualAuthenticator(page);
    const account = newAccount();
    await signUpInPage(page, account);
    await navLink(page, 'Security').click();
    await expectPage(page, 'security');
    await hear(page, 'Security');
    return { profile, page, authenticatorId, account };
  };

  /** Adds a passkey named `name` from the security page, and hears it added. */
  const addPasskey = async (page: Page, name: string) => {
    await page.getByLabel('Passkey name').fill(name);
    await page.getByRole('button', { name: 'Add a passkey' }).click();
    const added = `Passkey ${name} added. You can now sign in with it.`;
    expect(await hear(page, added)).toEqual([added]);
    await formMessage(page, added).waitFor();
    expect(await focusedElement(page)).toMatchObject({ role: 'button', name: 'Add a passkey' });
    await expect.poll(() => page.locator(`[data-passkey="${name}"]`).textContent()).toContain('Never used yet');
  };

  /** Logs out from the app's header and waits for the login page. */
  const logOut = async (page: Page) => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await expectPage(page, 'login');
  };

  /** Email and password on the login page: the account has a passkey, so the second step asks for it. */
  const passwordStep = async (page: Page, account: Account) => {
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await forgetAnnouncements(page);
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(await hear(page, PASSKEY_STEP)).toEqual([PASSKEY_STEP]);
  };

  it('adds a passkey on the security page and signs in with it alone, no email typed; then renames it', async () => {
    const { profile, page, authenticatorId, account } = await signUpWithAuthenticator();
    expect(server.origin).toMatch(/^http:\/\/localhost:\d+$/);
    await addPasskey(page, 'Laptop');
    const [credential] = await storedCredentials(page, authenticatorId);
    expect(credential?.rpId).toBe('localhost');
    await screenshot(page, 'security-with-passkey');

    await logOut(page);
    await forgetAnnouncements(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    // Back on the page the user logged out from, its heading focused and announced.
    await expectPage(page, 'security');
    expect(await hear(page, 'Security')).toEqual(['Security']);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Security' });
    expect(server.count('LogInWithPasskey', { status: 200 })).toBe(1);
    expect(server.count('LogIn'), 'no password was sent').toBe(0);
    await expect.poll(() => page.locator('[data-passkey="Laptop"]').textContent()).toContain('Last used just now');
    expect(await page.getByTestId('account-name').textContent()).toBe(account.name);

    await page.getByRole('button', { name: 'Rename Laptop' }).click();
    expect(await focusedElement(page)).toMatchObject({ role: 'textbox', name: 'New name for Laptop' });
    await page.keyboard.type('Work laptop');
    await page.keyboard.press('Enter');
    expect(await hear(page, 'Renamed to Work laptop.')).toEqual(['Renamed to Work laptop.']);
    await expect.poll(() => focusedElement(page)).toMatchObject({ role: 'button', name: 'Rename Work laptop' });
    await page.locator('[data-passkey="Work laptop"]').waitFor();
    await profile.context.close();
  });

  it('finishes a password login with the passkey when the account has one, the second step offering only it', async () => {
    const { profile, page, account } = await signUpWithAuthenticator();
    await addPasskey(page, 'Laptop');
    await logOut(page);
    await passwordStep(page, account);
    expect(await focusedElement(page)).toMatchObject({ role: 'button', name: 'Use a passkey' });
    expect(await page.getByLabel('Authentication code').count(), 'no authenticator app, so no code field').toBe(0);
    await screenshot(page, 'login-second-step-passkey');
    await page.keyboard.press('Enter');
    await expectPage(page, 'security');
    expect(server.count('CompleteLogin', { status: 200 })).toBeGreaterThanOrEqual(1);
    await profile.context.close();
  });

  it('asks for the passkey again before removing one once the login is 10 minutes old, after a confirmation, then removes it', async () => {
    const { profile, page } = await signUpWithAuthenticator();
    await addPasskey(page, 'Laptop');
    server.clock.advance(PAST_STEP_UP_WINDOW_MS);

    await page.getByRole('button', { name: 'Remove Laptop' }).click();
    const confirm = page.getByRole('dialog', { name: 'Remove Laptop?' });
    await confirm.waitFor();
    expect(await focusedElement(page), 'the harmless choice first').toMatchObject({ role: 'button', name: 'Cancel' });
    await confirm.getByRole('button', { name: 'Remove' }).click();

    const stepUp = page.getByRole('dialog', { name: 'Confirm it’s you' });
    await stepUp.waitFor();
    await expect.poll(() => focusedElement(page)).toMatchObject({ role: 'button', name: 'Use a passkey' });
    expect(server.count('RemovePasskey', { status: 200 })).toBe(1);
    await screenshot(page, 'step-up-dialog-passkey');
    await page.keyboard.press('Enter');

    const removed = 'Laptop was removed: it no longer signs you in.';
    await hear(page, removed);
    expect(await focusedElement(page)).toMatchObject({ role: 'heading', name: 'Passkeys' });
    expect(await stepUp.isVisible()).toBe(false);
    await page.getByTestId('no-passkeys').waitFor();
    expect(server.count('RemovePasskey')).toBe(2);
    expect(server.count('VerifySecondFactor', { status: 200 })).toBe(1);
    await profile.context.close();
  });
});
