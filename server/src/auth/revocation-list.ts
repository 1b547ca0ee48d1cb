import type { EntityManager } from '@mikro-orm/postgresql';

/** The PostgreSQL channel on which every revoked session id is announced to all instances. */
export const REVOCATION_CHANNEL = 'session_revoked';

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
      const rows = await em.execute<{ id: string; revoked_at: Date }[]>(
        'select id, revoked_at from sessions where revoked_at > ?',
        [since],
      );
      for (const row of rows) revokedAtBySession.set(row.id, new Date(row.revoked_at).getTime());
    },
  };
}
