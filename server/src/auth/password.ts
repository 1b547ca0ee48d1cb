import { createHmac } from 'node:crypto';
import { availableParallelism } from 'node:os';
import bcrypt from 'bcrypt';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badUserInput } from '../errors.ts';
import { createHashingQueue } from './hashing-queue.ts';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

/**
 * bcrypt reads only 72 bytes, so every password is first condensed with HMAC-SHA-256:
 * two long passwords sharing a prefix stay distinct. The key only separates domains; it is not a secret.
 */
function prehash(password: string): string {
  return createHmac('sha256', 'graphql-auth password prehash v1').update(password.normalize('NFC')).digest('base64');
}

/**
 * bcrypt runs on libuv's thread pool (4 threads), which the rest of the pool's work (file reads,
 * DNS lookups) shares; tokens are signed outside it (jwt.ts). With all four hashing, that work
 * queues behind a 250 ms hash; so at most three hashes run at once (one per core and one to cover
 * scheduling gaps), and one thread always stays free. No one owner may hold more than one per
 * core, and each waits its turn fairly (see hashing-queue.ts).
 */
const slots = Math.min(availableParallelism() + 1, 3);
const onHashingSlot = createHashingQueue({ slots, maxRunningPerOwner: Math.max(1, slots - 1), maxWaitingPerOwner: 16, maxWaiting: 128 });

/** Who a hash is done for (`ip:…`, `account:…`): what the queue shares its slots between. */
export type HashOwners = readonly string[];

export function hashPassword(password: string, cost: number, owners: HashOwners): Promise<string> {
  return onHashingSlot(owners, () => bcrypt.hash(prehash(password), cost));
}

export function verifyPassword(password: string, hash: string, owners: HashOwners): Promise<boolean> {
  return onHashingSlot(owners, () => bcrypt.compare(prehash(password), hash));
}

/** The cost a stored hash was made with, so logins can upgrade weaker hashes. */
export function hashCost(hash: string): number {
  return bcrypt.getRounds(hash);
}

/**
 * A hash of a random password at the configured cost: a login for an unknown email is checked
 * against it, so it takes as long as a wrong password for a real one.
 */
export function createDummyHash(cost: number): Promise<string> {
  return hashPassword(crypto.randomUUID(), cost, []);
}

/** Counted in characters (code points), as a person counts them. */
export function validatePassword(field: string, password: string): string {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH || length > PASSWORD_MAX_LENGTH) {
    throw badUserInput(field, `Password must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters.`);
  }
  return password;
}

/**
 * Locks the user's row for the rest of the transaction and tells whether `password` still matches
 * the stored hash. Logins and password changes both take this lock before they write, so a session
 * started from a password check commits either before a password change (which then ends it) or
 * after it (and is refused here): none outlives the change. The hash is compared first; only when
 * another transaction replaced it since `verifiedHash` was read is the password checked again.
 */
export async function lockPasswordHash(
  tx: EntityManager,
  userId: string,
  { password, verifiedHash, owners }: { password: string; verifiedHash: string; owners: HashOwners },
): Promise<boolean> {
  const [row] = await tx.execute<{ password_hash: string }[]>('select password_hash from users where id = ? for update', [userId]);
  if (!row) return false;
  return row.password_hash === verifiedHash || verifyPassword(password, row.password_hash, owners);
}
