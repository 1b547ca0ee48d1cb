import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { Session } from './session.entity.ts';

/**
 * The hash of a refresh token that was rotated away, so a replayed old token is told apart from a
 * forged one. Read and written only by the session store's SQL (auth/session-store.ts); declared
 * here so the schema has one description.
 */
export const SpentRefreshToken = defineEntity({
  name: 'SpentRefreshToken',
  tableName: 'spent_refresh_tokens',
  properties: {
    tokenHash: p.blob().primary(),
    session: () => p.manyToOne(Session).deleteRule('cascade').index(),
  },
});

export type SpentRefreshToken = InferEntity<typeof SpentRefreshToken>;
