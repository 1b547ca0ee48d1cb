import type { Transporter } from 'nodemailer';
import type { Mailbox } from '../config.ts';
import type { EmailBody } from './outbox.ts';

// nodemailer 10 cancels a send on an AbortSignal; the published types predate it.
declare module 'nodemailer/lib/mailer' {
  namespace Mail {
    interface Options {
      signal?: AbortSignal;
    }
  }
}

/** One message as the relay gets it. */
export interface OutgoingEmail {
  /** The outbox id: it makes the Message-ID, so a rare second send is recognisably the same message. */
  id: string;
  to: string;
  subject: string;
  body: EmailBody;
}

export interface RelayTransport {
  /** Resolves once the relay accepted the message; rejects with nodemailer's error otherwise. */
  send(email: OutgoingEmail, signal: AbortSignal): Promise<void>;
  close(): void;
}

// A relay that accepts the connection and then says nothing must not hold a worker for minutes.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, dnsTimeout: 10_000 };

/** Sends through `SMTP_URL` (nodemailer), a new connection per message, with short timeouts. */
export function createRelayTransport({ smtpUrl, from }: { smtpUrl: string; from: Mailbox }): RelayTransport {
  // Loaded with the first message: nodemailer costs some 20 MB resident, which an instance that sends nothing should not pay.
  let transport: Promise<Transporter> | undefined;
  const transportOnce = () => (transport ??= import('nodemailer').then(({ createTransport }) => createTransport({ ...TIMEOUTS, url: smtpUrl })));
  const domain = from.address.slice(from.address.lastIndexOf('@') + 1);
  return {
    async send({ id, to, subject, body }, signal) {
      await (await transportOnce()).sendMail({
        from: { name: from.name, address: from.address },
        to,
        subject,
        text: body.text,
        html: body.html,
        messageId: `<${id}@${domain}>`,
        // RFC 3834: no out-of-office replies to a machine.
        headers: { 'Auto-Submitted': 'auto-generated' },
        // Mail we send carries no attachments or remote content of its own; nothing to fetch.
        disableFileAccess: true,
        disableUrlAccess: true,
        signal,
      });
    },
    close: () => void transport?.then((opened) => opened.close()),
  };
}

/** A relay URL fit for a log line: scheme, host and port, never the credentials or options. */
export function describeRelay(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  return `${url.protocol}//${url.host}`;
}

/** The fields of a nodemailer error that say what happened, without the relay's words. */
export interface RelayFailure {
  /** nodemailer's code (`ECONNECTION`, `ETIMEDOUT`, `EENVELOPE`, `EAUTH`, `EMESSAGE`, `EABORT`, …). */
  code: string;
  /** The SMTP reply code, when the relay answered. */
  responseCode: number | undefined;
  /** The SMTP command it answered (`RCPT TO`, `DATA`, `AUTH PLAIN`, `CONN`). */
  command: string | undefined;
}

export function relayFailureOf(error: unknown): RelayFailure {
  const fields = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown };
  return {
    code: typeof fields.code === 'string' ? fields.code.slice(0, 40) : 'ERROR',
    responseCode: typeof fields.responseCode === 'number' ? fields.responseCode : undefined,
    command: typeof fields.command === 'string' ? fields.command.slice(0, 40) : undefined,
  };
}

/**
 * The `last_error` of a failed attempt: the code, the reply and its first line, at most 300
 * characters, one line. Credentials never reach it: the relay's words after an AUTH command are
 * left out, and any occurrence of the URL's user name or password is cut.
 */
export function describeRelayError(error: unknown, smtpUrl: string): string {
  const { code, responseCode, command } = relayFailureOf(error);
  const response = (error as { response?: unknown } | null)?.response;
  const head = [code, responseCode, command && `after ${command}`].filter(Boolean).join(' ');
  const afterAuth = command?.startsWith('AUTH') ?? false;
  const said = afterAuth ? '' : typeof response === 'string' ? response : error instanceof Error ? error.message : '';
  let line = said.split(/\r?\n/)[0]!.replace(/[\p{Cc}\p{Cf}]/gu, ' ');
  const url = new URL(smtpUrl);
  for (const secret of [url.password, url.username].flatMap((part) => [part, decoded(part)])) {
    if (secret.length >= 3) line = line.split(secret).join('[redacted]');
  }
  return (line ? `${head}: ${line}` : head).slice(0, 300);
}

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
