import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxEmail } from '../database/entities/outbox-email.entity.ts';
import type { SecretEnvelope } from '../auth/secret-envelope.ts';

/** Heard by every instance's mail worker when a transaction that queued an email commits. */
export const OUTBOX_CHANNEL = 'email_outbox';

/** A rendered email: what the worker hands to the relay. */
export interface EmailMessage {
  /** What it is (`password-reset`, `verify-email`, …), for logs and metrics; never its content. */
  kind: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface QueueOptions {
  /** The account the email belongs to; unsent mail is deleted with it. Null for mail that must outlive the account. */
  userId: string | null;
  envelope: SecretEnvelope | undefined;
  now: Date;
}

/** The two bodies of a message, as stored (sealed or not) in `email_outbox.body`. */
export interface EmailBody {
  text: string;
  html: string;
}

/** Kinds become metric labels and log fields: a short slug, chosen by the code, never by a user. */
export const EMAIL_KIND = /^[a-z][a-z0-9-]{0,39}$/;

// A line break in a recipient or subject would let its text write headers of its own.
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u;

/** The label a sealed body is bound to, so it cannot be moved to another row. */
export const bodyLabel = (id: string) => `email:${id}`;

/**
 * Queues `message` inside the caller's transaction (`tx`): it is sent only if the transaction
 * commits, and then even if this instance or the relay goes down first. Throws (so the
 * transaction rolls back) on a kind, recipient or subject that could not go out as one header.
 */
export async function queueEmail(tx: EntityManager, message: EmailMessage, { userId, envelope, now }: QueueOptions): Promise<void> {
  if (!EMAIL_KIND.test(message.kind)) throw new Error('queueEmail: the kind must be a lower-case slug of at most 40 characters');
  if (CONTROL.test(message.to) || message.to.length > 254) throw new Error('queueEmail: the recipient must be one address of at most 254 characters');
  if (CONTROL.test(message.subject) || [...message.subject].length > 200) throw new Error('queueEmail: the subject must be one line of at most 200 characters');
  const id = crypto.randomUUID();
  const body = JSON.stringify({ text: message.text, html: message.html } satisfies EmailBody);
  await tx.insert(OutboxEmail, {
    id,
    user: userId,
    kind: message.kind,
    recipient: message.to,
    subject: message.subject,
    body: envelope ? envelope.seal(body, bodyLabel(id)) : Buffer.from(body, 'utf8'),
    bodySealed: envelope !== undefined,
    attempts: 0,
    nextAttemptAt: now,
    createdAt: now,
    firstAttemptAt: null,
    sentAt: null,
    gaveUpAt: null,
    lastError: null,
  });
  // Delivered at commit, so the worker never wakes before the row is visible.
  await tx.execute(`select pg_notify('${OUTBOX_CHANNEL}', '')`);
}

/**
 * The bodies of a stored row; undefined when they are sealed and `envelope` cannot open them
 * (`KEY_ENCRYPTION_SECRET` changed without `KEY_ENCRYPTION_SECRET_PREVIOUS`).
 */
export function openEmailBody(row: { id: string; body: Uint8Array; bodySealed: boolean }, envelope: SecretEnvelope | undefined): EmailBody | undefined {
  const json = row.bodySealed ? envelope?.open(row.body, bodyLabel(row.id))?.plaintext : Buffer.from(row.body).toString('utf8');
  if (json === undefined) return undefined;
  const parsed = JSON.parse(json) as Partial<EmailBody>;
  return { text: String(parsed.text ?? ''), html: String(parsed.html ?? '') };
}
