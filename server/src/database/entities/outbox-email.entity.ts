import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/**
 * An email waiting to be sent, written in the same transaction as whatever it announces (a token,
 * a changed password), so a crash or a relay outage loses nothing. Each instance's mail worker
 * claims due rows with `FOR UPDATE SKIP LOCKED`, so two instances never send one twice.
 */
export const OutboxEmail = defineEntity({
  name: 'OutboxEmail',
  tableName: 'email_outbox',
  // The worker asks for unsent rows by due time.
  indexes: [{ name: 'email_outbox_due_index', properties: ['sentAt', 'nextAttemptAt'] }],
  properties: {
    id: p.uuid().primary(),
    // Unsent mail goes with its account; the goodbye notice is written without one so it survives.
    user: () => p.manyToOne(User).deleteRule('cascade').nullable().index(),
    // What the message is (password-reset, verify-email, …): for logs and metrics, never its content.
    kind: p.string().length(40),
    recipient: p.string().length(254),
    subject: p.string().length(200),
    // The bodies carry live links: sealed under KEY_ENCRYPTION_SECRET when there is one, and erased once sent.
    body: p.blob().nullable(),
    bodySealed: p.boolean(),
    attempts: p.integer(),
    // Claimed rows are pushed out by a lease, so a worker that dies mid-send leaves them due again.
    nextAttemptAt: p.datetime(),
    createdAt: p.datetime(),
    // The give-up clock starts here, not at createdAt: mail held while no relay was configured still gets its full day.
    firstAttemptAt: p.datetime().nullable(),
    sentAt: p.datetime().nullable(),
    // Set when retrying stopped for good; the row keeps its last error and loses its body.
    gaveUpAt: p.datetime().nullable(),
    lastError: p.string().length(300).nullable(),
  },
});

export type OutboxEmail = InferEntity<typeof OutboxEmail>;
