import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLError } from 'graphql';
import { badUserInput } from '../errors.ts';
import { createRefreshSecret as createSecret, hashRefreshSecret as hashOf } from '../auth/refresh-token.ts';

/** What a link sent by email is good for; a token of one purpose is worthless for another. */
export type EmailTokenPurpose = 'password_reset' | 'email_verification' | 'email_change';

/** A token as it travels in a link: 256 random bits, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * One answer for every token that does not work (unknown, used, expired, superseded, malformed or
 * of another purpose), so an answer never tells which of these it was.
 */
export function invalidEmailToken(): GraphQLError {
  return badUserInput('token', 'This link is invalid or has expired; ask for a new one.');
}

/**
 * The stored hash (SHA-256, as for refresh secrets: 256 random bits leave nothing to brute-force)
 * of a token as it arrived in a link, or undefined when it cannot be one of ours. Only the one
 * canonical spelling counts, so a link altered in its last character never still works.
 */
export function parseEmailToken(token: string): Buffer | undefined {
  if (!TOKEN.test(token)) return undefined;
  const secret = Buffer.from(token, 'base64url');
  return secret.toString('base64url') === token ? hashOf(secret) : undefined;
}

/**
 * Issues a token for the user and purpose, valid for `ttlMs`, and returns it for the link: only its
 * SHA-256 is stored, so a copy of the database holds no usable link. The user's other unused
 * tokens of the purpose are deleted in the same transaction (the newest link supersedes older
 * ones); the user's row is locked first, so two issued at once still leave one. Undefined when
 * the user no longer exists. Run it in the transaction that queues the email carrying the link.
 */
export async function issueEmailToken(
  tx: EntityManager,
  { userId, purpose, newEmail = null, now, ttlMs }: { userId: string; purpose: EmailTokenPurpose; newEmail?: string | null; now: Date; ttlMs: number },
): Promise<string | undefined> {
  const [user] = await tx.execute<{ id: string }[]>('select id from users where id = ? for update', [userId]);
  if (!user) return undefined;
  const secret = createSecret();
  await tx.execute(
    `with superseded as (delete from email_tokens where user_id = ? and purpose = ?)
     insert into email_tokens (token_hash, user_id, purpose, new_email, created_at, expires_at) values (?, ?, ?, ?, ?, ?)`,
    [userId, purpose, hashOf(secret), userId, purpose, newEmail, now, new Date(now.getTime() + ttlMs)],
  );
  return secret.toString('base64url');
}

/**
 * Spends a token: one compare-and-set statement that deletes it only if it is of `purpose` and
 * unexpired, so of two requests racing with one token exactly one gets it (the other waits for the
 * first to commit and then finds nothing). Undefined for every token that does not work. Run it in
 * the transaction that acts on it: if that rolls back, the token is unspent again.
 */
export async function consumeEmailToken(
  tx: EntityManager,
  token: string,
  { purpose, now }: { purpose: EmailTokenPurpose; now: Date },
): Promise<{ userId: string; newEmail: string | null } | undefined> {
  const hash = parseEmailToken(token);
  if (!hash) return undefined;
  const [row] = await tx.execute<{ user_id: string; new_email: string | null }[]>(
    'delete from email_tokens where token_hash = ? and purpose = ? and expires_at > ? returning user_id, new_email',
    [hash, purpose, now],
  );
  return row && { userId: row.user_id, newEmail: row.new_email };
}

/** Whether the token would work now, without spending it: lets a caller skip costly work (a bcrypt hash) for a dead link. */
export async function emailTokenWorks(em: EntityManager, token: string, { purpose, now }: { purpose: EmailTokenPurpose; now: Date }): Promise<boolean> {
  const hash = parseEmailToken(token);
  if (!hash) return false;
  const rows = await em.execute('select 1 from email_tokens where token_hash = ? and purpose = ? and expires_at > ?', [hash, purpose, now]);
  return rows.length > 0;
}

/** Deletes the user's unused tokens of the given purposes: links that must stop working (after a password change, an email change). */
export async function deleteEmailTokens(tx: EntityManager, userId: string, purposes: EmailTokenPurpose[]): Promise<void> {
  await tx.execute('delete from email_tokens where user_id = ? and purpose in (?)', [userId, purposes]);
}

/** Deletes tokens that have expired; a plain delete by predicate, safe on every instance at once. */
export async function deleteExpiredEmailTokens(em: EntityManager, now: Date): Promise<number> {
  const deleted = await em.execute<{ token_hash: Buffer }[]>('delete from email_tokens where expires_at <= ? returning token_hash', [now]);
  return deleted.length;
}
