import type { EntityManager } from '@mikro-orm/postgresql';
import { timestampOf } from '../database/hot-statements.ts';

/** A row a worker holds for the length of its lease: what it needs to send and to record the outcome. */
export interface ClaimedEmail {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  body: Uint8Array | null;
  bodySealed: boolean;
  /** Attempts so far, this one included. */
  attempts: number;
  firstAttemptAt: Date;
}

/** A row the development mailbox shows. */
export interface KeptEmail {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  body: Uint8Array;
  bodySealed: boolean;
  createdAt: Date;
  sentAt: Date | null;
}

interface ClaimedRow {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  body: Uint8Array | null;
  body_sealed: boolean;
  attempts: number;
  first_attempt_at: string | Date;
}

/**
 * Claims up to `limit` due rows in one statement (its own short transaction): locked with
 * `FOR UPDATE SKIP LOCKED`, so concurrent workers take disjoint rows, and pushed out to
 * `leaseUntil`, so no other worker takes them while this one sends outside any transaction. A
 * worker that dies mid-send leaves its rows due again when the lease ends.
 */
export async function claimDueEmails(em: EntityManager, { now, leaseUntil, limit }: { now: Date; leaseUntil: Date; limit: number }): Promise<ClaimedEmail[]> {
  const rows = await em.execute<ClaimedRow[]>(
    `update email_outbox as o
     set attempts = o.attempts + 1, next_attempt_at = ?, first_attempt_at = coalesce(o.first_attempt_at, ?)
     from (
       select id from email_outbox
       where sent_at is null and gave_up_at is null and next_attempt_at <= ?
       order by next_attempt_at, id
       limit ?
       for update skip locked
     ) as due
     where o.id = due.id
     returning o.id, o.kind, o.recipient, o.subject, o.body, o.body_sealed, o.attempts, o.first_attempt_at`,
    [leaseUntil, now, now, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    bodySealed: row.body_sealed,
    attempts: row.attempts,
    firstAttemptAt: timestampOf(row.first_attempt_at),
  }));
}

/** Records a delivery; `eraseBody` drops the live links once a relay has them. */
export async function markSent(em: EntityManager, id: string, { now, eraseBody }: { now: Date; eraseBody: boolean }): Promise<void> {
  await em.execute(
    `update email_outbox set sent_at = ?, last_error = null, body = case when ? then null else body end
     where id = ? and sent_at is null`,
    [now, eraseBody, id],
  );
}

/** Records a failed attempt and when to try again. */
export async function scheduleRetry(em: EntityManager, id: string, { error, nextAttemptAt }: { error: string; nextAttemptAt: Date }): Promise<void> {
  await em.execute('update email_outbox set last_error = ?, next_attempt_at = ? where id = ? and sent_at is null', [error, nextAttemptAt, id]);
}

/** Stops retrying a row for good: it keeps its last error, and its body (whose links have expired by now) is erased. */
export async function giveUp(em: EntityManager, id: string, { error, now }: { error: string; now: Date }): Promise<void> {
  await em.execute('update email_outbox set last_error = ?, gave_up_at = ?, body = null where id = ? and sent_at is null', [error, now, id]);
}

/** Emails still to be sent: queued, waiting for a retry, or being sent right now. */
export async function countPendingEmails(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ pending: number }[]>('select count(*)::int as pending from email_outbox where sent_at is null and gave_up_at is null');
  return row?.pending ?? 0;
}

/** The newest rows that still hold a body, newest first: what the development mailbox lists. */
export async function listKeptEmails(em: EntityManager, limit: number): Promise<KeptEmail[]> {
  const rows = await em.execute<
    { id: string; kind: string; recipient: string; subject: string; body: Uint8Array; body_sealed: boolean; created_at: string | Date; sent_at: string | Date | null }[]
  >(
    `select id, kind, recipient, subject, body, body_sealed, created_at, sent_at from email_outbox
     where body is not null order by created_at desc, id desc limit ?`,
    [limit],
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    recipient: row.recipient,
    subject: row.subject,
    body: row.body,
    bodySealed: row.body_sealed,
    createdAt: timestampOf(row.created_at),
    sentAt: row.sent_at === null ? null : timestampOf(row.sent_at),
  }));
}

/** Deletes rows sent, or given up, before `before`. */
export async function deleteFinishedEmails(em: EntityManager, before: Date): Promise<number> {
  const deleted = await em.execute<{ id: string }[]>('delete from email_outbox where sent_at < ? or gave_up_at < ? returning id', [before, before]);
  return deleted.length;
}
