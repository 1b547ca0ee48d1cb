import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Deletes sessions that can no longer be used (expired, or revoked longer ago than an access token
 * lives, so the revocation list no longer needs them) and rate-limit windows that have closed.
 * Plain deletes by predicate: every instance may run it at the same time.
 */
export async function deleteExpiredRecords(
  em: EntityManager,
  { now, accessTokenTtlMs }: { now: Date; accessTokenTtlMs: number },
): Promise<{ sessions: number; rateLimitCounters: number }> {
  const revokedBefore = new Date(now.getTime() - accessTokenTtlMs - 60_000);
  const sessions = await em.execute<{ id: string }[]>(
    `delete from sessions where idle_expires_at <= ? or absolute_expires_at <= ? or revoked_at < ? returning id`,
    [now, now, revokedBefore],
  );
  const counters = await em.execute<{ key: string }[]>('delete from rate_limit_counters where window_ends_at <= ? returning key', [now]);
  return { sessions: sessions.length, rateLimitCounters: counters.length };
}
