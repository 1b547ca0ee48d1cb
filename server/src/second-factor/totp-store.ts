import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretEnvelope } from '../auth/secret-envelope.ts';
import { createTotpSecret, matchingTotpStep } from './totp.ts';

/** The label a user's seed is sealed under: a sealed seed opens only on its own account's row. */
const secretLabel = (userId: string) => `totp:${userId}`;

/**
 * Every statement about `totp_credentials`. Seeds are sealed with the envelope before they are
 * written and opened only to check a code; they are never logged and leave the server once, in
 * the answer to `beginTotpEnrollment`.
 */

/**
 * Starts (or restarts) an enrolment: a new secret, sealed, pending until a code confirms it.
 * Undefined when the app is on already: that secret stays until the owner turns it off.
 */
export async function beginTotp(em: EntityManager, envelope: SecretEnvelope, { userId, now }: { userId: string; now: Date }): Promise<string | undefined> {
  const secret = createTotpSecret();
  const rows = await em.execute(
    `insert into totp_credentials (user_id, sealed_secret, created_at, enabled_at, last_used_step) values (?, ?, ?, null, null)
     on conflict (user_id) do update set sealed_secret = excluded.sealed_secret, created_at = excluded.created_at, last_used_step = null
     where totp_credentials.enabled_at is null
     returning 1`,
    [userId, envelope.seal(secret, secretLabel(userId)), now],
  );
  return rows.length > 0 ? secret : undefined;
}

/**
 * Accepts a six-digit code for the user's secret (the enabled one, or with `confirming` the
 * pending one, which the code then enables): under the row lock, so two requests with one code
 * cannot both pass; a code of the step last accepted or an older one is refused. Run it in the
 * transaction that acts on the code.
 */
export async function acceptTotpCode(
  tx: EntityManager,
  envelope: SecretEnvelope | undefined,
  { userId, code, now, confirming = false }: { userId: string; code: string; now: Date; confirming?: boolean },
): Promise<boolean> {
  const [row] = await tx.execute<{ sealed_secret: Buffer; last_used_step: string | number | null }[]>(
    `select sealed_secret, last_used_step from totp_credentials where user_id = ? and enabled_at is ${confirming ? '' : 'not '}null for update`,
    [userId],
  );
  // Without the secret that sealed it (KEY_ENCRYPTION_SECRET changed and the previous one dropped), no code can match: recovery codes remain.
  const secret = row && envelope?.open(row.sealed_secret, secretLabel(userId));
  if (!row || !secret) return false;
  const after = row.last_used_step === null ? null : Number(row.last_used_step);
  const step = matchingTotpStep(secret.plaintext, code, { now, after });
  if (step === undefined) return false;
  await tx.execute(
    `update totp_credentials set last_used_step = ?${confirming ? ', enabled_at = ?' : ''}${secret.sealedWithPrevious ? ', sealed_secret = ?' : ''} where user_id = ?`,
    [step, ...(confirming ? [now] : []), ...(secret.sealedWithPrevious ? [envelope!.seal(secret.plaintext, secretLabel(userId))] : []), userId],
  );
  return true;
}

/** Whether the user's authenticator app is on (confirmed, not merely pending). */
export async function totpEnabled(em: EntityManager, userId: string): Promise<boolean> {
  const rows = await em.execute('select 1 from totp_credentials where user_id = ? and enabled_at is not null', [userId]);
  return rows.length > 0;
}

/** Turns the app off (or drops a pending enrolment). True when there was one. */
export async function deleteTotp(tx: EntityManager, userId: string): Promise<boolean> {
  const rows = await tx.execute('delete from totp_credentials where user_id = ? returning enabled_at', [userId]);
  return rows.length > 0;
}
