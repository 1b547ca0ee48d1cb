import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { queueEmail, type EmailMessage } from '../../server/src/email/outbox.ts';
import type { SecretEnvelope } from '../../server/src/auth/secret-envelope.ts';

/** A message as the account flows will queue one: a unique recipient, a link with a fresh token in both bodies. */
export function testEmail(overrides: Partial<EmailMessage> & { origin?: string } = {}): EmailMessage & { token: string; link: string } {
  const { origin = 'http://localhost:4000', ...message } = overrides;
  const token = randomBytes(32).toString('base64url');
  const link = `${origin}/reset-password?token=${token}`;
  return {
    kind: 'password-reset',
    to: `user-${crypto.randomUUID()}@example.com`,
    subject: 'Reset your password',
    text: `Hello Ada,\n\nFollow this link to choose a new password:\n${link}\n\nIt works once, for 30 minutes.\n`,
    html: `<p>Hello Ada,</p><p><a href="${link}">Choose a new password</a></p><p>Or paste ${link} into your browser.</p>`,
    ...message,
    token,
    link,
  };
}

/** Queues `message` in a transaction of its own on `orm`'s database, as a resolver would in its own. */
export async function queueTestEmail(orm: MikroORM, message: EmailMessage, { envelope, now = new Date() }: { envelope: SecretEnvelope | undefined; now?: Date }): Promise<void> {
  await orm.em.fork().transactional((tx) => queueEmail(tx, message, { userId: null, envelope, now }));
}

/** An `email_outbox` row as stored. */
export interface OutboxRow {
  id: string;
  kind: string;
  recipient: string;
  subject: string;
  body: Buffer | null;
  body_sealed: boolean;
  attempts: number;
  sent_at: string | Date | null;
  gave_up_at: string | Date | null;
  last_error: string | null;
  /** The whole row as PostgreSQL prints it, body in hex: what a copy of the table shows. */
  row_text: string;
}

/** The outbox rows addressed to `recipient`. */
export async function outboxRowsTo(orm: MikroORM, recipient: string): Promise<OutboxRow[]> {
  return orm.em
    .fork()
    .execute<OutboxRow[]>(
      `select id, kind, recipient, subject, body, body_sealed, attempts, sent_at, gave_up_at, last_error, o::text as row_text
       from email_outbox o where recipient = ? order by created_at`,
      [recipient],
    );
}

/** The one outbox row addressed to `recipient`, once `accept` holds for it (polled). */
export async function outboxRowOnce(orm: MikroORM, recipient: string, accept: (row: OutboxRow) => boolean, what: string, timeoutMs = 10_000): Promise<OutboxRow> {
  const started = Date.now();
  for (;;) {
    const [row] = await outboxRowsTo(orm, recipient);
    if (row && accept(row)) return row;
    if (Date.now() - started > timeoutMs) throw new Error(`the outbox row to ${recipient} was not ${what} within ${timeoutMs} ms: ${JSON.stringify(row && { ...row, body: undefined, row_text: undefined })}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The value of a sample in Prometheus text, e.g. `email_sent_total{kind="password-reset"}`; 0 when absent. */
export function metricValue(metrics: string, sample: string): number {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}
