import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createTestClock } from '@graphql-auth/test-kit/clock';
import { linkIn, startTestRelay, type TestRelay } from '@graphql-auth/test-kit/smtp-relay';
import { metricValue, outboxRowOnce, outboxRowsTo, queueTestEmail, testEmail } from '@graphql-auth/test-kit/outbox';
import { secretEnvelopeOf } from '../src/auth/secret-envelope.ts';
import { queueEmail } from '../src/email/outbox.ts';
import { deleteExpiredRecords } from '../src/maintenance/cleanup.ts';

// Retries after 30 ms doubling to 200 ms, read every 20 ms: what takes minutes in production takes moments here.
const FAST = { pollIntervalMs: 20, retry: { firstDelayMs: 30, maxDelayMs: 200 } };

const metrics = async (t: TestApp) => (await t.app.fetch('http://localhost:4000/metrics')).text();
const envelopeOf = (t: TestApp) => secretEnvelopeOf(t.config);

describe('delivering the outbox through an SMTP relay', () => {
  let relay: TestRelay;
  let t: TestApp;
  beforeAll(async () => {
    relay = await startTestRelay();
    // A name that needs quoting and encoding in a header.
    t = await createTestApp({ SMTP_URL: relay.url, APP_NAME: 'Acme "Login", Größe' }, { clock: createTestClock({ running: true }), mailWorker: FAST });
  });
  afterAll(async () => {
    await t?.close();
    await relay?.stop();
  });

  it('sends a queued message with From, To, Subject, text and HTML bodies, then erases its body from the table', async () => {
    const message = testEmail();
    await queueTestEmail(t.orm, message, { envelope: envelopeOf(t), now: t.clock.now() });

    const email = await relay.waitForEmail(message.to);
    expect(email.from).toEqual({ address: 'no-reply@localhost', name: 'Acme "Login", Größe' });
    expect(email.envelope).toEqual({ from: 'no-reply@localhost', to: [message.to] });
    expect(email.to).toEqual([message.to]);
    expect(email.subject).toBe('Reset your password');
    expect(email.text).toContain(`Follow this link to choose a new password:\n${message.link}`);
    expect(email.html).toContain(`<a href="${message.link}">Choose a new password</a>`);
    expect(linkIn(email, '/reset-password').searchParams.get('token')).toBe(message.token);
    expect(email.headers.get('auto-submitted')).toBe('auto-generated');

    const row = await outboxRowOnce(t.orm, message.to, (candidate) => candidate.sent_at !== null, 'marked sent');
    expect(email.messageId).toBe(`<${row.id}@localhost>`);
    expect(row).toMatchObject({ body: null, attempts: 1, last_error: null, gave_up_at: null });
    expect(row.row_text).not.toContain(message.token);
    // One line per delivery, naming the kind and the row, never the link.
    expect(t.logs.some((line) => line.includes('"msg":"email sent"') && line.includes(row.id) && line.includes('"kind":"password-reset"'))).toBe(true);
    expect(t.logs.join('\n')).not.toContain(message.token);
  });

  it('sends nothing for a transaction that rolls back', async () => {
    const rolledBack = testEmail();
    const committed = testEmail();
    await expect(
      t.orm.em.fork().transactional(async (tx) => {
        await queueEmail(tx, rolledBack, { userId: null, envelope: envelopeOf(t), now: t.clock.now() });
        throw new Error('the account flow failed after queueing');
      }),
    ).rejects.toThrow('the account flow failed after queueing');
    await queueTestEmail(t.orm, committed, { envelope: envelopeOf(t), now: t.clock.now() });

    // The worker takes due rows oldest first: once the later message is here, the earlier one would have been.
    await relay.waitForEmail(committed.to);
    expect(relay.received.filter((email) => email.to.includes(rolledBack.to))).toEqual([]);
    expect(await outboxRowsTo(t.orm, rolledBack.to)).toEqual([]);
  });

  it('keeps a message queued while the relay is down and sends it once the relay is back on the same port, counting the failed attempts', async () => {
    const kind = 'relay-outage';
    const message = testEmail({ kind });
    const failuresBefore = metricValue(await metrics(t), `email_delivery_failures_total{kind="${kind}"}`);
    await relay.stop();
    try {
      await queueTestEmail(t.orm, message, { envelope: envelopeOf(t), now: t.clock.now() });
      const failed = await outboxRowOnce(t.orm, message.to, (row) => row.attempts >= 2, 'tried twice');
      expect(failed.sent_at).toBeNull();
      expect(failed.last_error).toMatch(/^E[A-Z]+ after CONN: connect ECONNREFUSED/);
      expect(metricValue(await metrics(t), 'email_outbox_pending')).toBe(1);
    } finally {
      await relay.start();
    }

    await relay.waitForEmail(message.to);
    await outboxRowOnce(t.orm, message.to, (row) => row.sent_at !== null, 'marked sent');
    const after = await metrics(t);
    expect(metricValue(after, `email_delivery_failures_total{kind="${kind}"}`) - failuresBefore).toBeGreaterThanOrEqual(2);
    expect(metricValue(after, `email_sent_total{kind="${kind}"}`)).toBe(1);
    expect(metricValue(after, 'email_outbox_pending')).toBe(0);
    expect(relay.received.filter((email) => email.to.includes(message.to))).toHaveLength(1);
    expect(t.logs.some((line) => line.includes('"level":40') && line.includes('email delivery failed, will retry') && line.includes('"command":"CONN"'))).toBe(true);
  });

  it('retries while the relay answers 451 (try later), then delivers the message exactly once', async () => {
    const message = testEmail({ kind: 'busy-relay' });
    const refusedBefore = relay.refusals();
    relay.refuse({ code: 451, message: 'Greylisted, try again later', times: 3 });
    await queueTestEmail(t.orm, message, { envelope: envelopeOf(t), now: t.clock.now() });

    await relay.waitForEmail(message.to);
    const row = await outboxRowOnce(t.orm, message.to, (candidate) => candidate.sent_at !== null, 'marked sent');
    expect(row.attempts).toBe(4);
    expect(row.last_error).toBeNull();
    expect(relay.refusals() - refusedBefore).toBe(3);
    expect(relay.received.filter((email) => email.to.includes(message.to))).toHaveLength(1);
    const sent = await metrics(t);
    expect(metricValue(sent, 'email_delivery_failures_total{kind="busy-relay"}')).toBe(3);
    expect(metricValue(sent, 'email_sent_total{kind="busy-relay"}')).toBe(1);
  });

  it('keeps retrying after a 550 refusal, which a misconfigured relay gives every recipient, and records the reply meanwhile', async () => {
    const message = testEmail({ kind: 'refused-once' });
    relay.refuse({ code: 550, message: 'Relaying denied', times: 2 });
    await queueTestEmail(t.orm, message, { envelope: envelopeOf(t), now: t.clock.now() });

    await relay.waitForEmail(message.to);
    const row = await outboxRowOnce(t.orm, message.to, (candidate) => candidate.sent_at !== null, 'marked sent');
    expect(row).toMatchObject({ attempts: 3, gave_up_at: null });
    expect(t.logs.some((line) => line.includes('"responseCode":550') && line.includes('"command":"RCPT TO"') && line.includes(row.id))).toBe(true);
  });

  it('holds no plaintext link in the table while a message waits (KEY_ENCRYPTION_SECRET seals the body), and no body once it is sent', async () => {
    const message = testEmail({ kind: 'sealed-body' });
    relay.refuse({ code: 421, message: 'Service not available' });
    try {
      await queueTestEmail(t.orm, message, { envelope: envelopeOf(t), now: t.clock.now() });
      const pending = await outboxRowOnce(t.orm, message.to, (row) => row.attempts >= 1 && row.last_error !== null, 'tried');
      expect(pending.sent_at).toBeNull();
      expect(pending.body_sealed).toBe(true);
      expect(pending.row_text).not.toContain(message.token);
      expect(pending.body!.toString('latin1')).not.toContain(message.token);
      expect(pending.body!.toString('utf8')).not.toContain('reset-password');
      // It is the message, sealed: the app's secret opens it, bound to its row.
      expect(envelopeOf(t)!.open(pending.body!, `email:${pending.id}`)?.plaintext).toContain(message.link);
      expect(envelopeOf(t)!.open(pending.body!, 'email:another-row')).toBeUndefined();
    } finally {
      relay.refuse(null);
    }
    await relay.waitForEmail(message.to);
    const sent = await outboxRowOnce(t.orm, message.to, (row) => row.sent_at !== null, 'marked sent');
    expect(sent.body).toBeNull();
    expect(t.logs.join('\n')).not.toContain(message.token);
  });

  it('refuses to queue a subject or recipient that would end its header, and rolls the caller back', async () => {
    const hostile = [testEmail({ subject: 'Reset\r\nBcc: everyone@example.com' }), testEmail({ to: 'victim@example.com\r\nBcc: everyone@example.com' }), testEmail({ kind: 'Password Reset!' })];
    for (const message of hostile) {
      await expect(queueTestEmail(t.orm, message, { envelope: envelopeOf(t), now: t.clock.now() })).rejects.toThrow(/queueEmail: /);
    }
    const [{ count }] = await t.orm.em.fork().execute<[{ count: number }]>("select count(*)::int as count from email_outbox where subject like '%Bcc%' or recipient like '%Bcc%'");
    expect(count).toBe(0);
  });
});

describe('a relay that needs a login', () => {
  const credentials = { user: 'mailer', pass: 'relay-password-hunter2' };
  let relay: TestRelay;
  let t: TestApp;
  beforeAll(async () => {
    relay = await startTestRelay({ auth: credentials });
    // The right user, the wrong password: the relay refuses every login.
    t = await createTestApp({ SMTP_URL: `smtp://mailer:wrong-password-hunter3@127.0.0.1:${relay.port}` }, { clock: createTestClock({ running: true }), mailWorker: FAST });
  });
  afterAll(async () => {
    await t?.close();
    await relay?.stop();
  });

  it('keeps mail through a refused login, never writing either password to the table or the log, and sends it once a server with the right credentials runs', async () => {
    const message = testEmail({ kind: 'after-login' });
    await queueTestEmail(t.orm, message, { envelope: envelopeOf(t), now: t.clock.now() });
    const failed = await outboxRowOnce(t.orm, message.to, (row) => row.attempts >= 1 && row.last_error !== null, 'tried');
    expect(failed.last_error).toMatch(/^EAUTH 535 after AUTH/);
    for (const text of [failed.last_error!, t.logs.join('\n')]) {
      expect(text).not.toContain('hunter3');
      expect(text).not.toContain('hunter2');
    }

    const fixed = await t.createPeer({ SMTP_URL: relay.url });
    try {
      await relay.waitForEmail(message.to);
      await outboxRowOnce(t.orm, message.to, (row) => row.sent_at !== null, 'marked sent');
      expect(fixed.logs.join('\n')).not.toContain('hunter2');
    } finally {
      await fixed.close();
    }
  });
});

describe('giving up', () => {
  let relay: TestRelay;
  let t: TestApp;
  beforeAll(async () => {
    relay = await startTestRelay();
    relay.refuse({ code: 554, message: 'Transaction failed' });
    t = await createTestApp({ SMTP_URL: relay.url }, { clock: createTestClock({ running: true }), mailWorker: FAST });
  });
  afterAll(async () => {
    await t?.close();
    await relay?.stop();
  });

  it('retries for 24 hours after the first attempt, then stops for good: the row keeps its error, loses its body, and counts as given up', async () => {
    const message = testEmail({ kind: 'never-accepted' });
    await queueTestEmail(t.orm, message, { envelope: envelopeOf(t), now: t.clock.now() });
    const tried = await outboxRowOnce(t.orm, message.to, (row) => row.attempts >= 2, 'tried twice');
    expect(tried.gave_up_at).toBeNull();
    expect(metricValue(await metrics(t), 'email_outbox_pending')).toBe(1);

    t.clock.advance(24 * 60 * 60_000);
    const given = await outboxRowOnce(t.orm, message.to, (row) => row.gave_up_at !== null, 'given up');
    expect(given).toMatchObject({ sent_at: null, body: null });
    expect(given.last_error).toMatch(/^EENVELOPE 554 after RCPT TO: .*Transaction failed/);
    const attempts = given.attempts;

    const after = await metrics(t);
    expect(metricValue(after, 'email_given_up_total{kind="never-accepted"}')).toBe(1);
    expect(metricValue(after, 'email_outbox_pending')).toBe(0);
    expect(t.logs.some((line) => line.includes('"level":50') && line.includes('email given up') && line.includes(given.id))).toBe(true);
    // Accepting mail again changes nothing for it: it is no longer due.
    relay.refuse(null);
    const later = testEmail({ kind: 'never-accepted' });
    await queueTestEmail(t.orm, later, { envelope: envelopeOf(t), now: t.clock.now() });
    await relay.waitForEmail(later.to);
    expect((await outboxRowsTo(t.orm, message.to))[0]?.attempts).toBe(attempts);
    expect(relay.received.filter((email) => email.to.includes(message.to))).toEqual([]);
  });
});

describe('keeping finished rows for a week', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No relay: the development mailbox marks rows sent and keeps their bodies, which must go too.
    t = await createTestApp({}, { mailWorker: FAST });
  });
  afterAll(() => t?.close());

  it('deletes sent rows once they are 7 days old, and never a row still waiting to be sent', async () => {
    const sent = testEmail();
    const waiting = testEmail();
    const day = 24 * 60 * 60_000;
    await queueTestEmail(t.orm, sent, { envelope: envelopeOf(t), now: t.clock.now() });
    await outboxRowOnce(t.orm, sent.to, (row) => row.sent_at !== null, 'kept');
    // Due only in a month: still pending when the cleanup runs.
    await queueTestEmail(t.orm, waiting, { envelope: envelopeOf(t), now: new Date(t.clock.now().getTime() + 30 * day) });

    const cleanUp = (after: number) => deleteExpiredRecords(t.orm.em.fork(), { now: new Date(t.clock.now().getTime() + after), accessTokenTtlMs: t.config.accessTokenTtlMs });
    expect((await cleanUp(6 * day)).emails).toBe(0);
    expect(await outboxRowsTo(t.orm, sent.to)).toHaveLength(1);
    expect((await cleanUp(8 * day)).emails).toBe(1);
    expect(await outboxRowsTo(t.orm, sent.to)).toEqual([]);
    expect(await outboxRowsTo(t.orm, waiting.to)).toHaveLength(1);
  });
});
