import { secretEnvelopeOf } from '../../src/auth/secret-envelope.ts';
import { bodyLabel } from '../../src/email/outbox.ts';
import type { TestApp } from './test-app.ts';

/** An email as its recipient sees it. */
export interface ReceivedEmail {
  subject: string;
  text: string;
  html: string;
  /** Every http(s) address in the text body, in order. */
  links: string[];
}

/**
 * Every "read the email sent to X" of the tests goes through here, so the way mail is read can
 * change in one place. Today it reads the outbox rows of the test database (opening sealed bodies
 * with the app's secret); it could as well read what a real SMTP server received.
 */
export interface Mailbox {
  /** The oldest email to `address` not yet returned by this call, waiting up to 5 s for one to arrive. */
  nextEmailTo(address: string): Promise<ReceivedEmail>;
  /** Every email to `address` that has arrived so far, read or not. */
  emailsTo(address: string): Promise<ReceivedEmail[]>;
}

interface OutboxRow {
  id: string;
  subject: string;
  body: Buffer;
  body_sealed: boolean;
}

const WAIT_MS = 5000;

export function openMailbox(t: TestApp): Mailbox {
  const envelope = secretEnvelopeOf(t.config);
  const returned = new Set<string>();

  const read = (row: OutboxRow): ReceivedEmail => {
    const plaintext = row.body_sealed ? envelope?.open(row.body, bodyLabel(row.id))?.plaintext : row.body.toString('utf8');
    if (plaintext === undefined) throw new Error('an outbox body that the test app cannot open');
    const { text, html } = JSON.parse(plaintext) as { text: string; html: string };
    return { subject: row.subject, text, html, links: text.match(/https?:\/\/[^\s<>"]+/g) ?? [] };
  };

  // In the order their transactions wrote them: the test clock may give many the same created_at.
  const rowsTo = (address: string) =>
    t.orm.em
      .fork()
      .execute<OutboxRow[]>('select id, subject, body, body_sealed from email_outbox where recipient = ? order by created_at, xmin::text::bigint', [address.toLowerCase()]);

  return {
    async nextEmailTo(address) {
      const deadline = Date.now() + WAIT_MS;
      for (;;) {
        const row = (await rowsTo(address)).find((candidate) => !returned.has(candidate.id));
        if (row) {
          returned.add(row.id);
          return read(row);
        }
        if (Date.now() > deadline) throw new Error(`no new email to ${address} within ${WAIT_MS} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    emailsTo: async (address) => (await rowsTo(address)).map(read),
  };
}

/** The token of the email's link to `page` (`/reset-password`, `/verify-email`, `/confirm-email`). */
export function tokenFromLink(email: ReceivedEmail, page: string): string {
  const link = email.links.map((href) => new URL(href)).find((url) => url.pathname === page);
  const token = link?.searchParams.get('token');
  if (!token) throw new Error(`no link to ${page} in "${email.subject}"`);
  return token;
}
