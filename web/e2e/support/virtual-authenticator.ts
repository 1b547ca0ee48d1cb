import type { Page } from 'playwright-core';
import { devtools } from './screen-reader.ts';

/**
 * Gives the tab a passkey authenticator of Chromium's own (DevTools `WebAuthn`): a platform one
 * that keeps discoverable credentials and verifies its user at once, as a fingerprint reader
 * would, so WebAuthn ceremonies run for real without a prompt. Answers its id.
 */
export async function addVirtualAuthenticator(page: Page): Promise<string> {
  const cdp = await devtools(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
  });
  return authenticatorId;
}

/** The credentials the tab's virtual authenticator holds. */
export async function storedCredentials(page: Page, authenticatorId: string): Promise<{ credentialId: string; rpId?: string; signCount: number }[]> {
  const cdp = await devtools(page);
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  return credentials;
}
