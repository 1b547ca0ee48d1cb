import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@graphql-auth/test-kit/test-database';
import { freePort } from '@graphql-auth/test-kit/free-port';
import { exitWithin, killServerProcesses, startServerProcess, waitUntilReady, type ServerProcess } from '@graphql-auth/test-kit/server-process';
import { startTestRelay, type TestRelay } from '@graphql-auth/test-kit/smtp-relay';
import { outboxRowOnce, queueTestEmail, testEmail } from '@graphql-auth/test-kit/outbox';
import { ormConfig } from '../src/database/mikro-orm.config.ts';
import { createSecretEnvelope } from '../src/auth/secret-envelope.ts';
import { queueEmail } from '../src/email/outbox.ts';

/** Shared by the processes, as by the instances of a deployment; given, so none is generated into .data/. */
const KEY_ENCRYPTION_SECRET = 'key-encryption-secret-of-the-email-test-processes';
const envelope = createSecretEnvelope(KEY_ENCRYPTION_SECRET);

afterEach(killServerProcesses);

/** The outbox ids a process logged as sent. */
const sentIds = (server: ServerProcess) =>
  server
    .stdout()
    .split('\n')
    .filter((line) => line.includes('"msg":"email sent"'))
    .map((line) => (JSON.parse(line) as { emailId: string }).emailId);

async function stop(server: ServerProcess) {
  server.child.kill('SIGTERM');
  const exit = await exitWithin(server, 15_000);
  expect(exit, `stdout:\n${server.stdout()}\nstderr:\n${server.stderr()}`).toEqual({ code: 0, signal: null });
}

describe('email delivery by real server processes', () => {
  let database: { url: string; drop(): Promise<void> };
  let relay: TestRelay;
  let orm: MikroORM | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    relay = await startTestRelay();
  });
  afterAll(async () => {
    await orm?.close();
    await relay?.stop();
    await database?.drop();
  });

  /** Connected once the first process has migrated the database. */
  const migratedDatabase = async () => (orm ??= await MikroORM.init(ormConfig(database.url)));
  const env = () => ({ DATABASE_URL: database.url, PUBLIC_ORIGIN: 'http://localhost:4000', BCRYPT_COST: '4', LOG_LEVEL: 'info', KEY_ENCRYPTION_SECRET });

  it('sends each of 40 messages exactly once when two processes share the outbox and the relay', { timeout: 60_000 }, async () => {
    const a = startServerProcess({ ...env(), SMTP_URL: relay.url, PORT: String(await freePort()) });
    const b = startServerProcess({ ...env(), SMTP_URL: relay.url, PORT: String(await freePort()) });
    await Promise.all([waitUntilReady(a), waitUntilReady(b)]);
    const db = await migratedDatabase();

    const messages = Array.from({ length: 40 }, (_, index) => testEmail({ kind: 'shared-outbox', subject: `Message ${index}` }));
    // Four transactions of ten at once, as concurrent requests would queue them.
    await Promise.all(
      [0, 1, 2, 3].map((batch) =>
        db.em.fork().transactional(async (tx) => {
          for (const message of messages.slice(batch * 10, batch * 10 + 10)) await queueEmail(tx, message, { userId: null, envelope, now: new Date() });
        }),
      ),
    );
    for (const message of messages) await relay.waitForEmail(message.to, { timeoutMs: 20_000 });
    for (const message of messages) await outboxRowOnce(db, message.to, (row) => row.sent_at !== null, 'marked sent');
    // Sends under way finish before a process exits: after this, nothing more can arrive.
    await Promise.all([stop(a), stop(b)]);

    const arrived = relay.received.filter((email) => email.subject.startsWith('Message '));
    expect(arrived).toHaveLength(40);
    expect(new Set(arrived.map((email) => email.to[0])).size).toBe(40);
    expect(new Set(arrived.map((email) => email.messageId)).size).toBe(40);
    const [fromA, fromB] = [sentIds(a), sentIds(b)];
    expect(fromA.length + fromB.length).toBe(40);
    expect(fromA.filter((id) => fromB.includes(id))).toEqual([]);
  });

  it('starts in production without SMTP_URL, warns, keeps the mail pending, and sends it after a restart with SMTP_URL', { timeout: 60_000 }, async () => {
    const production = { ...env(), NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', BCRYPT_COST: '10' };
    const held = startServerProcess({ ...production, PORT: String(await freePort()) });
    await waitUntilReady(held);
    const warning = held
      .stdout()
      .split('\n')
      .find((line) => line.includes('SMTP_URL is unset'));
    expect(warning, held.stdout()).toBeDefined();
    expect(JSON.parse(warning!)).toMatchObject({ level: 40, msg: 'SMTP_URL is unset: emails wait in the outbox, unsent, until the server is started with SMTP_URL' });

    const db = await migratedDatabase();
    const message = testEmail({ kind: 'held-in-production', origin: 'https://auth.example.com' });
    await queueTestEmail(db, message, { envelope });
    const metrics = async (server: ServerProcess) => (await fetch(`${server.base}/metrics`)).text();
    expect(await metrics(held)).toMatch(/^email_outbox_pending 1$/m);
    expect((await fetch(`${held.base}/dev/mail`)).status).toBe(404);
    await stop(held);
    expect(relay.received.filter((email) => email.to.includes(message.to))).toEqual([]);
    expect(await outboxRowOnce(db, message.to, () => true, 'read')).toMatchObject({ attempts: 0, sent_at: null });

    const sending = startServerProcess({ ...production, SMTP_URL: relay.url, PORT: String(await freePort()) });
    await waitUntilReady(sending);
    const email = await relay.waitForEmail(message.to);
    expect(email.text).toContain(message.link);
    await outboxRowOnce(db, message.to, (row) => row.sent_at !== null && row.body === null, 'sent and erased');
    await stop(sending);
    expect(sending.stdout()).not.toContain(message.token);
  });
});

describe('hostile email settings stop the server before it touches anything', () => {
  // Never reached when the configuration is refused.
  const unreachableDatabase = 'postgres://nobody@127.0.0.1:9/none';

  it.each([
    { variable: 'SMTP_URL', value: 'http://mailer:relay-password-hunter2@smtp.example.com', secret: 'hunter2' },
    { variable: 'SMTP_URL', value: 'smtps://mailer:relay-password-hunter2@smtp.example.com:465\r\nRCPT TO:<x@example.com>', secret: 'hunter2' },
    { variable: 'EMAIL_FROM', value: 'no-reply@example.com\r\nBcc: everyone@example.com', secret: undefined },
    { variable: 'APP_NAME', value: 'Acme\r\nBcc: everyone@example.com', secret: undefined },
  ])('exits 1 on a hostile $variable, naming it without a stack trace', async ({ variable, value, secret }) => {
    const server = startServerProcess({ DATABASE_URL: unreachableDatabase, PORT: String(await freePort()), KEY_ENCRYPTION_SECRET, [variable]: value });
    const exit = await exitWithin(server, 10_000);
    expect(exit === 'still running' ? 'still running' : exit.code).toBe(1);
    expect(server.stderr()).toMatch(new RegExp(`^\\s*${variable}: `, 'm'));
    expect(server.stderr()).not.toMatch(/^\s+at /m);
    if (secret) expect(server.stderr() + server.stdout()).not.toContain(secret);
  });
});
