import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * One fixed-window attempt counter shared by every instance (failed logins, sign-ups, refreshes).
 * Written only by the atomic upserts of auth/rate-limit.ts; declared here so the schema has one
 * description.
 */
export const RateLimitCounter = defineEntity({
  name: 'RateLimitCounter',
  tableName: 'rate_limit_counters',
  properties: {
    key: p.string().length(160).primary(),
    count: p.integer(),
    windowEndsAt: p.datetime().index(),
  },
});

export type RateLimitCounter = InferEntity<typeof RateLimitCounter>;
