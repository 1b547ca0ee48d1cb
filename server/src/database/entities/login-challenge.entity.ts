import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/**
 * A login waiting for its second factor: the first factor was accepted, no session exists yet.
 * Only the SHA-256 of the opaque token the client holds is stored; it works once, for a few
 * minutes and a few tries.
 */
export const LoginChallenge = defineEntity({
  name: 'LoginChallenge',
  tableName: 'login_challenges',
  properties: {
    tokenHash: p.blob().primary(),
    user: () => p.manyToOne(User).deleteRule('cascade').index(),
    // The methods the first step proved (`pwd`), carried into the session's `amr`.
    amr: p.array(),
    createdAt: p.datetime(),
    expiresAt: p.datetime().index(),
    triesLeft: p.integer(),
  },
});

export type LoginChallenge = InferEntity<typeof LoginChallenge>;
