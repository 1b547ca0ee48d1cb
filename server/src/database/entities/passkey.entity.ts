import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/**
 * A WebAuthn credential (passkey) registered to an account. Only its public key is stored: a copy
 * of the database cannot sign an assertion.
 */
export const Passkey = defineEntity({
  name: 'Passkey',
  tableName: 'passkeys',
  properties: {
    id: p.uuid().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    // The authenticator's raw credential id; unique, so one credential can never belong to two accounts.
    credentialId: p.blob().unique(),
    // COSE-encoded public key, as the authenticator sent it at registration.
    publicKey: p.blob(),
    // The authenticator's signature counter (unsigned 32-bit); 0 for authenticators that do not count.
    signCount: p.bigint('number'),
    // How the browser may reach the authenticator (usb, nfc, ble, hybrid, internal), offered back as hints.
    transports: p.array(),
    // Multi-device (synced) credential, and whether it is backed up right now.
    backupEligible: p.boolean(),
    backedUp: p.boolean(),
    name: p.string().length(64),
    createdAt: p.datetime(),
    lastUsedAt: p.datetime().nullable(),
  },
});

export type Passkey = InferEntity<typeof Passkey>;
