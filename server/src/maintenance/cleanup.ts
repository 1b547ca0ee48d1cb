import type { EntityManager } from '@mikro-orm/postgresql';
import { deleteEndedSessions } from '../auth/session-store.ts';
import { deleteClosedWindows } from '../auth/rate-limit.ts';
import { deleteExpiredEmailTokens } from '../email/email-token.ts';

/**
 * Deletes sessions that can no longer be used (expired, or revoked longer ago than an access token
 * lives, so the revocation list no longer needs them) and rate-limit windows that have closed.
 * Plain deletes by predicate: every instance may run it at the same time.
 */
export async function deleteExpiredRecords(
  em: EntityManager,
  { now, accessTokenTtlMs }: { now: Date; accessTokenTtlMs: number },
): Promise<{ sessions: number; rateLimitCounters: number; emailTokens: number }> {
  const revokedBefore = new Date(now.getTime() - accessTokenTtlMs - 60_000);
  const sessions = await deleteEndedSessions(em, { now, revokedBefore });
  const rateLimitCounters = await deleteClosedWindows(em, now);
  const emailTokens = await deleteExpiredEmailTokens(em, now);
  return { sessions, rateLimitCounters, emailTokens };
}
