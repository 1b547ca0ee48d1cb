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

/** The label a sealed body is bound to, so it cannot be moved to another row. */
export const bodyLabel = (id: string) => `email:${id}`;

/**
 * Queues `message` inside the caller's transaction (`tx`): it is sent only if the transaction
 * commits, and then even if this instance or the relay goes down first.
 */
export async function queueEmail(tx: EntityManager, message: EmailMessage, { userId, envelope, now }: QueueOptions): Promise<void> {
  const id = crypto.randomUUID();
  const body = JSON.stringify({ text: message.text, html: message.html });
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
    sentAt: null,
    lastError: null,
  });
  // Delivered at commit, so the worker never wakes before the row is visible.
  await tx.execute(`select pg_notify('${OUTBOX_CHANNEL}', '')`);
}
