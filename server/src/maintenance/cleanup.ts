import type { EntityManager } from '@mikro-orm/postgresql';
import { deleteEndedSessions } from '../auth/session-store.ts';
import { deleteClosedWindows } from '../auth/rate-limit.ts';
import { deleteFinishedEmails } from '../email/outbox-store.ts';
import { deleteExpiredEmailTokens } from '../email/email-token.ts';
import { deleteExpiredChallenges } from '../auth/webauthn-challenges.ts';
import { deleteExpiredLoginChallenges } from '../second-factor/login-challenge.ts';

/** How long a sent (or given-up) email's row stays: enough to answer "did it go out?", then gone. */
export const FINISHED_EMAIL_RETENTION_MS = 7 * 24 * 60 * 60_000;

/**
 * Deletes sessions that can no longer be used (expired, or revoked longer ago than an access token
 * lives, so the revocation list no longer needs them), rate-limit windows that have closed, and
 * emails sent or given up more than a week ago (development mailbox ones too), expired email links,
 * logins that can no longer get their second factor and the challenges of passkey ceremonies nobody finished.
 * Plain deletes by predicate: every instance may run it at the same time.
 */
export async function deleteExpiredRecords(
  em: EntityManager,
  { now, accessTokenTtlMs }: { now: Date; accessTokenTtlMs: number },
): Promise<{ sessions: number; rateLimitCounters: number; emails: number; emailTokens: number; loginChallenges: number; webauthnChallenges: number }> {
  const revokedBefore = new Date(now.getTime() - accessTokenTtlMs - 60_000);
  const sessions = await deleteEndedSessions(em, { now, revokedBefore });
  const rateLimitCounters = await deleteClosedWindows(em, now);
  const emails = await deleteFinishedEmails(em, new Date(now.getTime() - FINISHED_EMAIL_RETENTION_MS));
  const emailTokens = await deleteExpiredEmailTokens(em, now);
  const loginChallenges = await deleteExpiredLoginChallenges(em, now);
  const webauthnChallenges = await deleteExpiredChallenges(em, now);
  return { sessions, rateLimitCounters, emails, emailTokens, loginChallenges, webauthnChallenges };
}
