import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLContext } from '../builder.ts';
import { startSession, type AuthenticationMethod, type IssuedRefreshToken } from './session-store.ts';

/** A new session on the calling device, written when `em` flushes (or its transaction commits); `amr` is how the login proved who it was. */
export function startSessionHere(em: EntityManager, context: GraphQLContext, userId: string, amr: AuthenticationMethod[]): IssuedRefreshToken {
  const { refreshIdleTtlMs, sessionMaxAgeMs, refreshGraceMs } = context.config;
  return startSession(em, {
    userId,
    userAgent: context.userAgent,
    ip: context.clientIp,
    now: context.now(),
    policy: { refreshIdleTtlMs, sessionMaxAgeMs, refreshGraceMs },
    amr,
  });
}
