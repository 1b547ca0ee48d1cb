import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

/** What a ceremony is for; a challenge of one purpose is worthless for the other. */
export type CeremonyPurpose = 'registration' | 'authentication';

const hashOf = (challenge: string) => createHash('sha256').update(challenge, 'utf8').digest();

/**
 * Keeps a ceremony's challenge until `expiresAt`, in PostgreSQL so the response may reach any
 * instance. `userId` binds it to an account: the one a registration adds a passkey to, or the one
 * a second-factor assertion must come from; null for a login with a discoverable passkey.
 */
export async function rememberChallenge(
  em: EntityManager,
  { challenge, purpose, userId, expiresAt }: { challenge: string; purpose: CeremonyPurpose; userId: string | null; expiresAt: Date },
): Promise<void> {
  await em.execute('insert into webauthn_challenges (challenge_hash, purpose, user_id, expires_at) values (?, ?, ?, ?)', [hashOf(challenge), purpose, userId, expiresAt]);
}

/**
 * Spends a challenge: one compare-and-set delete that matches only an unexpired challenge of the
 * purpose bound to exactly `userId`, so of two responses racing with one challenge exactly one gets
 * it, and a registration response replayed by another account finds nothing (and spends nothing).
 */
export async function spendChallenge(
  em: EntityManager,
  challenge: string,
  { purpose, userId, now }: { purpose: CeremonyPurpose; userId: string | null; now: Date },
): Promise<boolean> {
  const spent = await em.execute<{ purpose: string }[]>(
    'delete from webauthn_challenges where challenge_hash = ? and purpose = ? and user_id is not distinct from ?::uuid and expires_at > ? returning purpose',
    [hashOf(challenge), purpose, userId, now],
  );
  return spent.length === 1;
}

/** Deletes the challenges of ceremonies nobody finished in time. */
export async function deleteExpiredChallenges(em: EntityManager, now: Date): Promise<number> {
  const deleted = await em.execute<{ purpose: string }[]>('delete from webauthn_challenges where expires_at <= ? returning purpose', [now]);
  return deleted.length;
}
