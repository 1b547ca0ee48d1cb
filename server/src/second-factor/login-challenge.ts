import type { EntityManager } from '@mikro-orm/postgresql';
import { createRefreshSecret as createSecret, hashRefreshSecret as hashOf } from '../auth/refresh-token.ts';
import type { AuthenticationMethod } from '../auth/session-store.ts';

/** How long a login may wait for its second factor. */
export const LOGIN_CHALLENGE_TTL_MS = 5 * 60_000;
/** Codes a login may try before it has to start over with the password. */
export const LOGIN_CHALLENGE_TRIES = 5;

/** A challenge as the client holds it: 256 random bits, base64url. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** The stored hash of a presented challenge, or undefined when it cannot be one of ours (only the canonical spelling counts). */
export function challengeHash(challenge: string): Buffer | undefined {
  if (!CHALLENGE.test(challenge)) return undefined;
  const secret = Buffer.from(challenge, 'base64url');
  return secret.toString('base64url') === challenge ? hashOf(secret) : undefined;
}

/**
 * Issues a challenge for a login whose first factor (`amr`) was accepted and returns it for the
 * answer; only its SHA-256 is stored. Run it in the transaction that checked the first factor.
 */
export async function issueLoginChallenge(tx: EntityManager, { userId, amr, now }: { userId: string; amr: AuthenticationMethod[]; now: Date }): Promise<string> {
  const secret = createSecret();
  await tx.execute('insert into login_challenges (token_hash, user_id, amr, created_at, expires_at, tries_left) values (?, ?, ?::text[], ?, ?, ?)', [
    hashOf(secret),
    userId,
    `{${amr.join(',')}}`,
    now,
    new Date(now.getTime() + LOGIN_CHALLENGE_TTL_MS),
    LOGIN_CHALLENGE_TRIES,
  ]);
  return secret.toString('base64url');
}

/** The live challenge's user and email, without spending a try; undefined for every challenge that does not work. */
export async function findLoginChallenge(em: EntityManager, hash: Buffer, now: Date): Promise<{ userId: string; email: string } | undefined> {
  const [row] = await em.execute<{ user_id: string; email: string }[]>(
    'select c.user_id, u.email from login_challenges c join users u on u.id = c.user_id where c.token_hash = ? and c.expires_at > ? and c.tries_left > 0',
    [hash, now],
  );
  return row && { userId: row.user_id, email: row.email };
}

/** Spends one try (compare-and-set, committed on its own, so a wrong code costs it whatever follows). False when none was left. */
export async function spendChallengeTry(em: EntityManager, hash: Buffer, now: Date): Promise<boolean> {
  const rows = await em.execute('update login_challenges set tries_left = tries_left - 1 where token_hash = ? and expires_at > ? and tries_left > 0 returning 1', [hash, now]);
  return rows.length > 0;
}

/**
 * Takes the challenge for good: one `delete … returning`, so of two completions racing with one
 * challenge exactly one gets it (the other waits for the first to commit and finds nothing).
 */
export async function consumeLoginChallenge(tx: EntityManager, hash: Buffer, now: Date): Promise<{ userId: string; amr: AuthenticationMethod[] } | undefined> {
  const [row] = await tx.execute<{ user_id: string; amr: AuthenticationMethod[] }[]>(
    'delete from login_challenges where token_hash = ? and expires_at > ? returning user_id, amr',
    [hash, now],
  );
  return row && { userId: row.user_id, amr: row.amr };
}

/** Ends the user's waiting logins, e.g. when the password they were started with changes. */
export async function endLoginChallenges(tx: EntityManager, userId: string): Promise<void> {
  await tx.execute('delete from login_challenges where user_id = ?', [userId]);
}

/** Deletes challenges that can no longer be used; a plain delete by predicate, safe on every instance at once. */
export async function deleteExpiredLoginChallenges(em: EntityManager, now: Date): Promise<number> {
  const deleted = await em.execute<{ token_hash: Buffer }[]>('delete from login_challenges where expires_at <= ? or tries_left <= 0 returning token_hash', [now]);
  return deleted.length;
}
