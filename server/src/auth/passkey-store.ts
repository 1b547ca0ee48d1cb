import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { timestampOf } from '../database/hot-statements.ts';

/**
 * Every statement about passkeys and WebAuthn user handles: registering, listing, renaming,
 * removing, finding one by its credential id, and recording a use under the signature counter's
 * compare-and-set.
 */

/** What the GraphQL `Passkey` type shows: never the key or the credential id. */
export interface PasskeySummary {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A passkey as an assertion is checked against it. */
export interface StoredPasskey {
  id: string;
  userId: string;
  userHandle: Buffer;
  credentialId: Buffer;
  publicKey: Buffer;
  signCount: number;
  transports: string[];
}

/** How many passkeys one account may hold. */
export const MAX_PASSKEYS_PER_ACCOUNT = 20;

const SUMMARY_COLUMNS = 'id, name, created_at as "createdAt", last_used_at as "lastUsedAt"';

type SummaryRow = { id: string; name: string; createdAt: string | Date; lastUsedAt: string | Date | null };

function summaryOf(row: SummaryRow): PasskeySummary {
  return { id: row.id, name: row.name, createdAt: timestampOf(row.createdAt), lastUsedAt: row.lastUsedAt === null ? null : timestampOf(row.lastUsedAt) };
}

/**
 * The account's WebAuthn user handle, made on first use: 32 random bytes, neither the email nor
 * the account id. Two requests making it at once keep the first one written.
 */
export async function userHandleOf(em: EntityManager, userId: string): Promise<Buffer> {
  await em.execute('insert into webauthn_user_handles (user_id, handle) values (?, ?) on conflict (user_id) do nothing', [userId, randomBytes(32)]);
  const [row] = await em.execute<{ handle: Buffer }[]>('select handle from webauthn_user_handles where user_id = ?', [userId]);
  if (!row) throw new Error('The WebAuthn user handle was not written');
  return row.handle;
}

/** The account's passkeys, newest first. */
export async function listPasskeys(em: EntityManager, userId: string): Promise<PasskeySummary[]> {
  const rows = await em.execute<SummaryRow[]>(`select ${SUMMARY_COLUMNS} from passkeys where user_id = ? order by created_at desc, id`, [userId]);
  return rows.map(summaryOf);
}

/** The credential ids (and transports) of the account's passkeys, to exclude or allow in a ceremony. */
export async function credentialsOf(em: EntityManager, userId: string): Promise<{ credentialId: Buffer; transports: string[] }[]> {
  const rows = await em.execute<{ credential_id: Buffer; transports: string[] }[]>('select credential_id, transports from passkeys where user_id = ? order by created_at', [userId]);
  return rows.map((row) => ({ credentialId: row.credential_id, transports: row.transports }));
}

/**
 * Adds a passkey to the account under its row lock, so parallel registrations cannot pass the cap
 * together. Undefined when the account is gone or full; a credential already registered (to
 * anyone) fails on the unique index.
 */
export async function insertPasskey(
  tx: EntityManager,
  passkey: { userId: string; credentialId: Buffer; publicKey: Buffer; signCount: number; transports: string[]; backupEligible: boolean; backedUp: boolean; name: string; now: Date },
): Promise<PasskeySummary | 'full' | undefined> {
  const [user] = await tx.execute<{ id: string }[]>('select id from users where id = ? for update', [passkey.userId]);
  if (!user) return undefined;
  const [held] = await tx.execute<{ count: string | number }[]>('select count(*) as count from passkeys where user_id = ?', [passkey.userId]);
  if (Number(held?.count ?? 0) >= MAX_PASSKEYS_PER_ACCOUNT) return 'full';
  const [row] = await tx.execute<SummaryRow[]>(
    `insert into passkeys (id, user_id, credential_id, public_key, sign_count, transports, backup_eligible, backed_up, name, created_at, last_used_at)
     values (?, ?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?, ?, ?, null) returning ${SUMMARY_COLUMNS}`,
    [crypto.randomUUID(), passkey.userId, passkey.credentialId, passkey.publicKey, passkey.signCount, JSON.stringify(passkey.transports), passkey.backupEligible, passkey.backedUp, passkey.name, passkey.now],
  );
  return row && summaryOf(row);
}

/** Renames one of the account's passkeys; undefined when it is not one of them. */
export async function renamePasskey(em: EntityManager, { userId, id, name }: { userId: string; id: string; name: string }): Promise<PasskeySummary | undefined> {
  const [row] = await em.execute<SummaryRow[]>(`update passkeys set name = ? where id = ? and user_id = ? returning ${SUMMARY_COLUMNS}`, [name, id, userId]);
  return row && summaryOf(row);
}

/** Whether the account has a passkey: it is then a second factor, and a password alone no longer logs in. */
export async function hasPasskeys(em: EntityManager, userId: string): Promise<boolean> {
  const rows = await em.execute<{ one: number }[]>('select 1 as one from passkeys where user_id = ? limit 1', [userId]);
  return rows.length > 0;
}

/** Removes one of the account's passkeys; false when it is not one of them. */
export async function removePasskey(em: EntityManager, { userId, id }: { userId: string; id: string }): Promise<boolean> {
  const deleted = await em.execute<{ id: string }[]>('delete from passkeys where id = ? and user_id = ? returning id', [id, userId]);
  return deleted.length === 1;
}

/** The passkey with this credential id, with its account's user handle. */
export async function findPasskeyByCredentialId(em: EntityManager, credentialId: Buffer): Promise<StoredPasskey | undefined> {
  const [row] = await em.execute<{ id: string; user_id: string; handle: Buffer; credential_id: Buffer; public_key: Buffer; sign_count: string | number; transports: string[] }[]>(
    `select p.id, p.user_id, h.handle, p.credential_id, p.public_key, p.sign_count, p.transports
     from passkeys p join webauthn_user_handles h on h.user_id = p.user_id where p.credential_id = ?`,
    [credentialId],
  );
  return (
    row && {
      id: row.id,
      userId: row.user_id,
      userHandle: row.handle,
      credentialId: row.credential_id,
      publicKey: row.public_key,
      signCount: Number(row.sign_count),
      transports: row.transports,
    }
  );
}

/**
 * Records a verified use: the new signature counter, the backup state and the time, in one
 * compare-and-set. The counter must move forward (or stay 0 for authenticators that never count);
 * otherwise nothing changes and false is returned, since two authenticators then hold one key.
 */
export async function recordPasskeyUse(em: EntityManager, { id, signCount, backedUp, now }: { id: string; signCount: number; backedUp: boolean; now: Date }): Promise<boolean> {
  const updated = await em.execute<{ id: string }[]>(
    `update passkeys set sign_count = ?, backed_up = ?, last_used_at = ?
     where id = ? and (sign_count < ?::int8 or (sign_count = 0 and ?::int8 = 0)) returning id`,
    [signCount, backedUp, now, id, signCount, signCount],
  );
  return updated.length === 1;
}
