import { startAuthentication, startRegistration, WebAuthnError } from '@simplewebauthn/browser';

/** What a WebAuthn ceremony in the browser came to: the response to send, or why there is none. */
export type CeremonyOutcome = { ok: true; response: string } | { ok: false; message: string };

const CANCELLED = 'No passkey was used: the request was cancelled or timed out.';
const UNSUPPORTED = 'This browser cannot use passkeys here.';

/** The browser's refusal in words: cancelling is the usual one and is no fault of the user. */
function refusalMessage(error: unknown): string {
  if (error instanceof WebAuthnError && error.code === 'ERROR_CEREMONY_ABORTED') return CANCELLED;
  if (error instanceof Error && error.name === 'NotAllowedError') return CANCELLED;
  if (error instanceof Error && (error.name === 'NotSupportedError' || error.name === 'SecurityError')) return UNSUPPORTED;
  if (error instanceof Error && error.name === 'InvalidStateError') return 'This passkey is already registered on this device.';
  return CANCELLED;
}

/**
 * Asks the browser for a passkey with the server's `PublicKeyCredentialRequestOptions` JSON, and
 * answers the result as the JSON string the server takes back.
 */
export async function authenticateWithPasskey(optionsJson: string): Promise<CeremonyOutcome> {
  try {
    const response = await startAuthentication({ optionsJSON: JSON.parse(optionsJson) });
    return { ok: true, response: JSON.stringify(response) };
  } catch (error) {
    return { ok: false, message: refusalMessage(error) };
  }
}

/** Asks the browser to create a passkey with the server's `PublicKeyCredentialCreationOptions` JSON. */
export async function createPasskey(optionsJson: string): Promise<CeremonyOutcome> {
  try {
    const response = await startRegistration({ optionsJSON: JSON.parse(optionsJson) });
    return { ok: true, response: JSON.stringify(response) };
  } catch (error) {
    return { ok: false, message: refusalMessage(error) };
  }
}
