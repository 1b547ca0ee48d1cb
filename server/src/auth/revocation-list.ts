import type { EntityManager } from '@mikro-orm/postgresql';
import { sessionsRevokedSince } from './session-store.ts';

/**
 * The sessions revoked within the last access-token lifetime, held in memory so checking an access
 * token needs no database read. Older revocations need no entry: their access tokens have expired.
 */
export interface RevocationList {
  has(sessionId: string): boolean;
  add(sessionIds: Iterable<string>, revokedAt: Date): void;
  /** Loads recent revocations from the database (start-up and catch-up). */
  load(em: EntityManager, now: Date): Promise<void>;
}

export function createRevocationList(accessTokenTtlMs: number): RevocationList {
  const revokedAtBySession = new Map<string, number>();

  const prune = (now: number) => {
    for (const [sessionId, revokedAt] of revokedAtBySession) {
      if (revokedAt + accessTokenTtlMs < now) revokedAtBySession.delete(sessionId);
    }
  };

  return {
    has: (sessionId) => revokedAtBySession.has(sessionId),
    add(sessionIds, revokedAt) {
      for (const sessionId of sessionIds) revokedAtBySession.set(sessionId, revokedAt.getTime());
    },
    async load(em, now) {
      prune(now.getTime());
      // A small margin covers access tokens whose clock ran slightly ahead of ours.
      const since = new Date(now.getTime() - accessTokenTtlMs - 60_000);
      for (const session of await sessionsRevokedSince(em, since)) revokedAtBySession.set(session.id, session.revokedAt.getTime());
    },
  };
}
