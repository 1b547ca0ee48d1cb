import type { EmailBody } from './outbox.ts';

/** One message as the development mailbox lists it. */
export interface MailboxEntry {
  kind: string;
  recipient: string;
  subject: string;
  createdAt: Date;
  sentAt: Date | null;
  /** Undefined when it was sealed under another KEY_ENCRYPTION_SECRET. */
  body: EmailBody | undefined;
}

/**
 * No script at all; inline styles for the page and the messages' HTML; images only inline. The
 * sandboxed frames inherit it, so a message's HTML cannot load anything either.
 */
export const DEV_MAILBOX_CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for an element's content or a quoted attribute value. */
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => ENTITIES[character]!);

// http(s) links up to the first space, quote or angle bracket; trailing punctuation is left outside.
const LINK = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** The text body, escaped, with its http(s) links as anchors that open in a new tab. */
export function linkifiedText(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    html += escapeHtml(text.slice(last, match.index));
    const href = escapeHtml(match[0]);
    html += `<a href="${href}" target="_blank" rel="noopener noreferrer">${href}</a>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

/**
 * The HTML body in a frame with an opaque origin and no scripts (`sandbox` without
 * `allow-scripts`), escaped into `srcdoc`. Its links open in a new tab, outside the sandbox, so the
 * page they lead to works as it would from a mail client.
 */
function sandboxedHtml(html: string, title: string): string {
  const document = `<!doctype html><meta charset="utf-8"><base target="_blank">${html}`;
  return `<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" title="${escapeHtml(title)}" srcdoc="${escapeHtml(document)}"></iframe>`;
}

function entryHtml(entry: MailboxEntry): string {
  const status = entry.sentAt ? `kept ${entry.sentAt.toISOString()}` : 'pending';
  const body = entry.body
    ? `<pre>${linkifiedText(entry.body.text)}</pre>${entry.body.html ? sandboxedHtml(entry.body.html, `HTML body of “${entry.subject}”`) : ''}`
    : '<p>The body was sealed under another KEY_ENCRYPTION_SECRET and cannot be shown.</p>';
  return `<article>
<h2>${escapeHtml(entry.subject)}</h2>
<dl><dt>To</dt><dd>${escapeHtml(entry.recipient)}</dd><dt>Kind</dt><dd>${escapeHtml(entry.kind)}</dd><dt>Queued</dt><dd><time datetime="${entry.createdAt.toISOString()}">${entry.createdAt.toISOString()}</time> (${escapeHtml(status)})</dd></dl>
${body}
</article>`;
}

/** The development mailbox: every kept message, newest first, rendered inert. */
export function renderDevMailbox(entries: MailboxEntry[], appName: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Development mailbox · ${escapeHtml(appName)}</title>
<style>
body { font: 16px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem; }
article { border-top: 1px solid #ccc; padding: 1rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 1rem; margin: 0 0 1rem; }
dt { font-weight: bold; }
dd { margin: 0; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f6f6; padding: 0.75rem; }
iframe { width: 100%; height: 24rem; border: 1px solid #ccc; }
</style>
</head>
<body>
<h1>Development mailbox</h1>
<p>Emails this server would have sent, newest first. Set <code>SMTP_URL</code> to send them through a relay instead; this page then answers 404, as it always does in production.</p>
${entries.length === 0 ? '<p>No emails yet.</p>' : entries.map(entryHtml).join('\n')}
</body>
</html>
`;
}
