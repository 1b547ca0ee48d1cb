import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createTestClock } from '@graphql-auth/test-kit/clock';
import { outboxRowOnce, outboxRowsTo, queueTestEmail, testEmail } from '@graphql-auth/test-kit/outbox';
import { startTestRelay } from '@graphql-auth/test-kit/smtp-relay';
import { secretEnvelopeOf } from '../src/auth/secret-envelope.ts';

const FAST = { pollIntervalMs: 20 };
const mailbox = (t: TestApp, init: RequestInit = {}) => t.app.fetch('http://localhost:4000/dev/mail', init);

/** The page with every `srcdoc` attribute's value taken out: what the browser parses as our page's own markup. */
const outsideFrames = (html: string) => html.replace(/srcdoc="[^"]*"/g, 'srcdoc=""');

describe('the development mailbox (no SMTP_URL, outside production)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({}, { clock: createTestClock({ running: true }), mailWorker: FAST });
  });
  afterAll(() => t?.close());

  it('says at start-up where to look', () => {
    expect(t.logs.some((line) => line.includes('"level":30') && line.includes('emails are kept at http://localhost:4000/dev/mail'))).toBe(true);
  });

  it('keeps a queued message, marked sent with its body, and lists it with the link clickable', async () => {
    const message = testEmail();
    await queueTestEmail(t.orm, message, { envelope: secretEnvelopeOf(t.config), now: t.clock.now() });
    const row = await outboxRowOnce(t.orm, message.to, (candidate) => candidate.sent_at !== null, 'kept');
    expect(row.body).not.toBeNull();
    expect(row.body_sealed).toBe(true);

    const response = await mailbox(t);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain(`<h2>Reset your password</h2>`);
    expect(html).toContain(`<dd>${message.to}</dd>`);
    expect(html).toContain(`<a href="${message.link}" target="_blank" rel="noopener noreferrer">${message.link}</a>`);
    // The HTML body is there too, escaped into a frame that runs no script.
    expect(html).toMatch(/<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" title="[^"]*" srcdoc="[^"]*Choose a new password/);
  });

  it('sends the security headers, no-store and no-referrer: the page is full of live links', async () => {
    const response = await mailbox(t);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('script-src');
  });

  it('lists the newest message first', async () => {
    const older = testEmail({ subject: 'The older one' });
    const newer = testEmail({ subject: 'The newer one' });
    await queueTestEmail(t.orm, older, { envelope: secretEnvelopeOf(t.config), now: new Date(t.clock.now().getTime() - 1000) });
    await queueTestEmail(t.orm, newer, { envelope: secretEnvelopeOf(t.config), now: t.clock.now() });
    await outboxRowOnce(t.orm, older.to, (row) => row.sent_at !== null, 'kept');
    const html = await (await mailbox(t)).text();
    expect(html.indexOf('The newer one')).toBeGreaterThan(0);
    expect(html.indexOf('The newer one')).toBeLessThan(html.indexOf('The older one'));
  });

  it('renders a message whose subject, name and bodies carry markup inert: escaped in the page, the HTML body in a frame without scripts', async () => {
    const name = '"><img src=x onerror=alert(document.cookie)>';
    const message = testEmail({
      kind: 'verify-email',
      subject: `<script>alert(1)</script> Welcome ${name}`,
      text: `Hello ${name} <script>alert(2)</script>\njavascript:alert(3)\nhttp://localhost:4000/verify-email?token=a"onmouseover="alert(4)\n`,
      html: `<p>Hello ${name}</p><script>parent.document.title = 'owned'</script><a href="javascript:alert(5)">click</a><p onclick="alert(6)">x</p>`,
    });
    await queueTestEmail(t.orm, message, { envelope: secretEnvelopeOf(t.config), now: t.clock.now() });
    await outboxRowOnce(t.orm, message.to, (row) => row.sent_at !== null, 'kept');

    const html = await (await mailbox(t)).text();
    const own = outsideFrames(html);
    // Only the page's own elements, none with an event handler or a script URL.
    const tags = [...own.matchAll(/<([a-z][a-z0-9]*)\b([^>]*)>/gi)].map(([, tag, attributes]) => ({ tag: tag!.toLowerCase(), attributes: attributes! }));
    const ownElements = ['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'p', 'code', 'article', 'dl', 'dt', 'dd', 'time', 'pre', 'a', 'iframe'];
    expect(tags.filter(({ tag }) => !ownElements.includes(tag))).toEqual([]);
    const attributes = tags.flatMap(({ attributes: text }) => [...text.matchAll(/\s([^\s=]+)(?:="([^"]*)")?/g)].map(([, attribute, value = '']) => ({ attribute: attribute!, value })));
    expect(attributes.filter(({ attribute }) => !['charset', 'name', 'content', 'lang', 'datetime', 'href', 'target', 'rel', 'sandbox', 'title', 'srcdoc'].includes(attribute))).toEqual([]);
    expect(attributes.filter(({ attribute, value }) => attribute === 'href' && !value.startsWith('http://localhost:4000/'))).toEqual([]);
    expect(own).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Welcome &quot;&gt;&lt;img src=x onerror=alert(document.cookie)&gt;');
    // A link is cut at the quote: the rest stays text, not an attribute.
    expect(own).toContain('<a href="http://localhost:4000/verify-email?token=a" target="_blank" rel="noopener noreferrer">');
    expect(own).toContain('&quot;onmouseover=&quot;alert(4)');
    // The frame's document is one escaped attribute value: no quote or angle bracket ends it early.
    const frames = [...html.matchAll(/<iframe ([^>]*)><\/iframe>/g)].map(([, attributes]) => attributes!);
    const hostileFrame = frames.find((attributes) => attributes.includes('alert(6)'));
    expect(hostileFrame).toBeDefined();
    expect(hostileFrame).toMatch(/^sandbox="allow-popups allow-popups-to-escape-sandbox" title="[^"<>]*" srcdoc="[^"<>]*"$/);
    expect(hostileFrame).not.toContain('allow-scripts');
    expect(hostileFrame).not.toContain('allow-same-origin');
  });

  it('answers 404 to anything but GET and HEAD', async () => {
    expect((await mailbox(t, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(404);
    expect((await mailbox(t, { method: 'HEAD' })).status).toBe(200);
  });
});

describe('no development mailbox', () => {
  it('answers 404 when SMTP_URL is set', async () => {
    const t = await createTestApp({ SMTP_URL: 'smtp://127.0.0.1:9' });
    try {
      const response = await mailbox(t);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('Not found');
      expect(t.logs.some((line) => line.includes('emails are sent through smtp://127.0.0.1:9'))).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('answers 404 in production, keeps the mail in the outbox with a warning at start-up, and sends it once a server starts with SMTP_URL', async () => {
    const production = { NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', BCRYPT_COST: '10' };
    const t = await createTestApp(production, { clock: createTestClock({ running: true }), mailWorker: FAST });
    const relay = await startTestRelay();
    try {
      expect(t.logs.some((line) => line.includes('"level":40') && line.includes('SMTP_URL is unset: emails wait in the outbox'))).toBe(true);
      expect(t.logs.join('\n')).not.toContain('/dev/mail');
      const message = testEmail({ origin: 'https://auth.example.com' });
      await queueTestEmail(t.orm, message, { envelope: secretEnvelopeOf(t.config), now: t.clock.now() });
      expect((await mailbox(t)).status).toBe(404);
      // Ten of the development worker's polls: long enough for any worker to have taken it.
      await new Promise((resolve) => setTimeout(resolve, 10 * FAST.pollIntervalMs));
      expect((await outboxRowsTo(t.orm, message.to))[0]).toMatchObject({ attempts: 0, sent_at: null, last_error: null });
      const metrics = await (await t.app.fetch('https://auth.example.com/metrics')).text();
      expect(metrics).toMatch(/^email_outbox_pending 1$/m);

      const withRelay = await t.createPeer({ ...production, SMTP_URL: relay.url });
      try {
        const email = await relay.waitForEmail(message.to);
        expect(email.from).toEqual({ address: 'no-reply@auth.example.com', name: 'GraphQL Auth' });
        expect(email.text).toContain(message.link);
      } finally {
        await withRelay.close();
      }
    } finally {
      await t.close();
      await relay.stop();
    }
  });
});
