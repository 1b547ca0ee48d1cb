import type { Config } from '../config.ts';

/** Who the passkeys are for: the site users browse, as WebAuthn names it. */
export interface RelyingParty {
  /** The host of `PUBLIC_ORIGIN`: the domain every passkey is bound to. */
  id: string;
  /** `APP_NAME`, shown by the browser while it asks for a passkey. */
  name: string;
  /** `PUBLIC_ORIGIN`: the only page allowed to run a ceremony. */
  origin: string;
}

/** The relying party of this deployment. */
export function relyingPartyOf(config: Pick<Config, 'publicOrigin' | 'appName'>): RelyingParty {
  return { id: new URL(config.publicOrigin).hostname, name: config.appName, origin: config.publicOrigin };
}

/**
 * The signature algorithms offered and accepted (COSE ids): EdDSA, ES256, RS256. Pinned rather
 * than the library's default, which grows with the runtime, so what is accepted changes only here.
 */
export const PASSKEY_ALGORITHMS = [-8, -7, -257];

/** How long a ceremony may take, from the options to the response; also the browser's timeout. */
export const CEREMONY_TTL_MS = 5 * 60_000;
