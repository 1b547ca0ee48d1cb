import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/**
 * The WebAuthn user handle of an account: random bytes that authenticators keep with each
 * discoverable credential and return at login. Neither the email nor the account's id, so a
 * passkey tells whoever reads it nothing about the account.
 */
export const WebAuthnUserHandle = defineEntity({
  name: 'WebAuthnUserHandle',
  tableName: 'webauthn_user_handles',
  properties: {
    user: () => p.oneToOne(User).primary().deleteRule('cascade'),
    handle: p.blob().unique(),
  },
});

export type WebAuthnUserHandle = InferEntity<typeof WebAuthnUserHandle>;
