import { countPendingEmails } from '../../server/src/email/outbox-store.ts';
import type { TestApp } from './test-app.ts';
import { linkIn, type TestRelay } from './smtp-relay.ts';

/** An email as its recipient sees it. */
export interface ReceivedEmail {
  subject: string;
  text: string;
  html: string;
  /** Every http(s) address in the text body, in order. */
  links: string[];
}

/**
 * Every "read the email sent to X" of the account tests goes through here: what a real SMTP server
 * (the test relay the app sends to) received, after the app's own mail worker sent it.
 */
export interface Mailbox {
  /** The email to `address` queued first of those not yet returned by this call, waiting up to 10 s for one to arrive. */
  nextEmailTo(address: string): Promise<ReceivedEmail>;
  /** Every email to `address` that has arrived, once everything queued so far has been sent (so "none" means none). */
  emailsTo(address: string): Promise<ReceivedEmail[]>;
}

const WAIT_MS = 10_000;

/** Reads what `relay` received from `t`, which must have been created with `SMTP_URL: relay.url`. */
export function openMailbox(t: TestApp, relay: TestRelay): Mailbox {
  const returned = new Set<object>();
  const asReceived = ({ subject, text, html }: { subject: string; text: string; html: string }): ReceivedEmail => ({
    subject,
    text,
    html,
    links: text.match(/https?:\/\/[^\s<>"]+/g) ?? [],
  });
  const isTo = (address: string) => (email: TestRelay['received'][number]) => email.to.includes(address.toLowerCase());

  // The outbox is empty of unsent mail only once the worker handed every queued message to the relay.
  const outboxDrained = async () => {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const unsent = await countPendingEmails(t.orm.em.fork());
      if (unsent === 0) return;
      if (Date.now() > deadline) throw new Error(`${unsent} emails still unsent after ${WAIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  /** Where each message (known by its Message-ID, made of its outbox id) stands in the order its transaction queued it. */
  const queueOrder = async (address: string) => {
    const rows = await t.orm.em
      .fork()
      .execute<{ id: string }[]>('select id from email_outbox where recipient = ? order by created_at, xmin::text::bigint', [address.toLowerCase()]);
    const position = new Map(rows.map((row, index) => [row.id, index]));
    return (email: TestRelay['received'][number]) => position.get(/^<([^@]+)@/.exec(email.messageId)?.[1] ?? '') ?? Number.MAX_SAFE_INTEGER;
  };

  return {
    async nextEmailTo(address) {
      const unread = (candidate: TestRelay['received'][number]) => isTo(address)(candidate) && !returned.has(candidate);
      await relay.waitForEmail(unread, { timeoutMs: WAIT_MS });
      // The worker sends several messages at once, so they may arrive out of order: take them in the order they were queued.
      await outboxDrained();
      const queued = await queueOrder(address);
      const [email] = relay.received.filter(unread).sort((a, b) => queued(a) - queued(b));
      returned.add(email!);
      return asReceived(email!);
    },
    async emailsTo(address) {
      await outboxDrained();
      return relay.received.filter(isTo(address)).map(asReceived);
    },
  };
}

/** The token of the email's link to `page` (`/reset-password`, `/verify-email`, `/confirm-email`), present in both bodies. */
export function tokenFromLink(email: ReceivedEmail, page: string): string {
  const token = linkIn(email, page).searchParams.get('token');
  if (!token) throw new Error(`no token in the link to ${page} in "${email.subject}"`);
  return token;
}
