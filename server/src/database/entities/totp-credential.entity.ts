import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/**
 * A user's authenticator app (TOTP): the shared secret, sealed under `KEY_ENCRYPTION_SECRET` with a
 * label naming the user, so a copy of the database holds no usable seed and a sealed seed cannot be
 * moved to another account. Pending until a code confirms it (`enabledAt`).
 */
export const TotpCredential = defineEntity({
  name: 'TotpCredential',
  tableName: 'totp_credentials',
  properties: {
    user: () => p.oneToOne(User).primary().owner().deleteRule('cascade'),
    sealedSecret: p.blob(),
    createdAt: p.datetime(),
    // Null while the enrolment waits for its first code: a pending secret never counts as a factor.
    enabledAt: p.datetime().nullable(),
    // The newest 30-second step a code was accepted for; a code of that step or an older one is refused.
    lastUsedStep: p.bigint('number').nullable(),
  },
});

export type TotpCredential = InferEntity<typeof TotpCredential>;
