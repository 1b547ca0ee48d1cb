import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';

/** A message as the relay received and parsed it. */
export interface ReceivedEmail {
  /** The envelope: who the client said it was from, and to whom (MAIL FROM, RCPT TO). */
  envelope: { from: string; to: string[] };
  /** The From header's address and display name. */
  from: { address: string; name: string };
  /** Every address of the To header. */
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers: Map<string, HeaderValue>;
}

/** How the relay answers the next messages: a reply code (4xx: try later, 5xx: refused) and its text. */
export interface Refusal {
  code: number;
  message?: string;
  /** How many messages are refused before the relay accepts again; unlimited by default. */
  times?: number;
}

export interface TestRelay {
  port: number;
  /** `smtp://127.0.0.1:<port>`, with the credentials when the relay asks for some. */
  url: string;
  /** Every message accepted so far, in order of arrival. */
  received: ReceivedEmail[];
  /** How many messages were refused so far. */
  refusals(): number;
  /** The first message (already here or still to come) to `address`, or that `predicate` accepts. */
  waitForEmail(match: string | ((email: ReceivedEmail) => boolean), options?: { timeoutMs?: number }): Promise<ReceivedEmail>;
  /** Refuses the next messages at RCPT TO; `null` accepts everything again. */
  refuse(refusal: Refusal | null): void;
  /** Stops listening (connections are refused) until `start`, on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A real SMTP server in the test process (the `smtp-server` package) that parses what it receives
 * (`mailparser`). Plain SMTP without STARTTLS; with `auth`, it accepts only that user and password.
 */
export async function startTestRelay({ port: wantedPort = 0, auth }: { port?: number; auth?: { user: string; pass: string } } = {}): Promise<TestRelay> {
  const received: ReceivedEmail[] = [];
  const waiters = new Set<() => void>();
  let refusal: Refusal | null = null;
  let refused = 0;
  let server: SMTPServer | undefined;
  let port = wantedPort;

  const arrived = (email: ReceivedEmail) => {
    received.push(email);
    for (const wake of waiters) wake();
  };

  const create = () =>
    new SMTPServer({
      disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      allowInsecureAuth: true,
      authOptional: !auth,
      logger: false,
      // `stop` must not wait for the client's idle connections.
      closeTimeout: 50,
      onAuth(credentials, _session, callback) {
        if (auth && credentials.username === auth.user && credentials.password === auth.pass) return callback(null, { user: auth.user });
        callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      },
      onRcptTo(_address, _session, callback) {
        if (refusal && (refusal.times === undefined || refusal.times > 0)) {
          refused++;
          const { code, message = code >= 500 ? 'Requested action not taken: mailbox unavailable' : 'Try again later' } = refusal;
          if (refusal.times !== undefined) refusal = refusal.times > 1 ? { ...refusal, times: refusal.times - 1 } : null;
          return callback(Object.assign(new Error(message), { responseCode: code }));
        }
        callback();
      },
      onData(stream, session: SMTPServerSession, callback) {
        simpleParser(stream).then(
          (parsed) => {
            arrived({
              envelope: { from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((rcpt) => rcpt.address) },
              from: { address: parsed.from?.value[0]?.address ?? '', name: parsed.from?.value[0]?.name ?? '' },
              to: addressesOf(parsed.to),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              messageId: parsed.messageId ?? '',
              headers: parsed.headers,
            });
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });

  const start = async () => {
    server = create();
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.server.once('error', reject);
      listening.listen(port, '127.0.0.1', () => resolve());
    });
    port = (listening.server.address() as AddressInfo).port;
  };
  await start();

  const credentials = auth ? `${encodeURIComponent(auth.user)}:${encodeURIComponent(auth.pass)}@` : '';
  return {
    port,
    url: `smtp://${credentials}127.0.0.1:${port}`,
    received,
    refusals: () => refused,
    refuse(next) {
      refusal = next;
    },
    async waitForEmail(match, { timeoutMs = 10_000 } = {}) {
      const accepts = typeof match === 'string' ? (email: ReceivedEmail) => email.to.includes(match) || email.envelope.to.includes(match) : match;
      const found = received.find(accepts);
      if (found) return found;
      return new Promise<ReceivedEmail>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no email matching ${typeof match === 'string' ? match : 'the predicate'} within ${timeoutMs} ms (${received.length} received)`));
        }, timeoutMs);
        const check = () => {
          const email = received.find(accepts);
          if (!email) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(email);
        };
        waiters.add(check);
      });
    },
    async stop() {
      const closing = server;
      server = undefined;
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    start,
  };
}

function addressesOf(field: AddressObject | AddressObject[] | undefined): string[] {
  const groups = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return groups.flatMap((group) => group.value.map((entry) => entry.address ?? ''));
}

/**
 * The link to `path` (e.g. `/reset-password`) in a message: found in the text body, and required
 * to be in the HTML body too, so both parts carry it. Throws naming the path when it is missing.
 */
export function linkIn(email: Pick<ReceivedEmail, 'text' | 'html'>, path: string): URL {
  const links = (text: string) => [...text.matchAll(/https?:\/\/[^\s<>"']+/g)].map(([link]) => new URL(link.replaceAll('&amp;', '&')));
  const inText = links(email.text).find((url) => url.pathname === path);
  if (!inText) throw new Error(`no link to ${path} in the text body`);
  if (!links(email.html).some((url) => url.href === inText.href)) throw new Error(`the HTML body lacks the text body's link to ${path}`);
  return inText;
}
