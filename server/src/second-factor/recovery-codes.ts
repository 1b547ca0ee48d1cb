import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** How many codes a user gets at a time. */
export const RECOVERY_CODE_COUNT = 10;

/**
 * What is stored of a code: its SHA-256, bound to the user. A code carries 80 random bits, so the
 * hash leaves nothing to guess from a copy of the database; binding it to the user means one
 * account's code is worth nothing on another.
 */
function recoveryCodeHash(userId: string, code: string): Buffer {
  return createHash('sha256').update(`recovery-code v1:${userId}:${code}`).digest();
}

/** A new code as shown to its owner: 16 base32 characters (80 bits) in groups of four. */
function createRecoveryCode(): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(10)).match(/.{4}/g)!.join('-');
}

/**
 * Replaces all of the user's recovery codes with ten new ones and returns them, to be shown once;
 * only their hashes are kept. Run it in the transaction of whatever makes them needed.
 */
export async function replaceRecoveryCodes(tx: EntityManager, userId: string, now: Date): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, createRecoveryCode);
  await deleteRecoveryCodes(tx, userId);
  await tx.execute(
    `insert into recovery_codes (code_hash, user_id, created_at) values ${codes.map(() => '(?, ?, ?)').join(', ')}`,
    codes.flatMap((code) => [recoveryCodeHash(userId, code.replaceAll('-', '')), userId, now]),
  );
  return codes;
}

/**
 * Spends a code (given without its hyphens): one `delete … returning`, so of two requests racing
 * with one code exactly one gets it. Run it in the transaction that acts on it: a rollback leaves
 * the code unspent.
 */
export async function spendRecoveryCode(tx: EntityManager, userId: string, code: string): Promise<boolean> {
  const rows = await tx.execute('delete from recovery_codes where code_hash = ? and user_id = ? returning 1', [recoveryCodeHash(userId, code), userId]);
  return rows.length > 0;
}

export async function deleteRecoveryCodes(tx: EntityManager, userId: string): Promise<void> {
  await tx.execute('delete from recovery_codes where user_id = ?', [userId]);
}

/** How many unspent codes the user has left. */
export async function countRecoveryCodes(em: EntityManager, userId: string): Promise<number> {
  const [row] = await em.execute<{ count: string | number }[]>('select count(*) as count from recovery_codes where user_id = ?', [userId]);
  return Number(row?.count ?? 0);
}
