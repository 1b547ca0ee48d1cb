import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/**
 * A WebAuthn ceremony begun: the challenge handed to the browser, kept in PostgreSQL so any
 * instance can finish what another began, and spent once by a compare-and-set delete. Only its
 * SHA-256 is stored.
 */
export const WebAuthnChallenge = defineEntity({
  name: 'WebAuthnChallenge',
  tableName: 'webauthn_challenges',
  properties: {
    challengeHash: p.blob().primary(),
    purpose: p.string().length(16),
    // The account a registration adds a passkey to; null for a login, where the passkey names its account.
    user: () => p.manyToOne(User).deleteRule('cascade').nullable().index(),
    expiresAt: p.datetime().index(),
  },
});

export type WebAuthnChallenge = InferEntity<typeof WebAuthnChallenge>;
