import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { expectUnauthenticated, graphql } from '@graphql-auth/test-kit/graphql-request';
import { CHANGE_EMAIL, LOGIN, ME, newAccount, REFRESH, REQUEST_PASSWORD_RESET, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { startTestRelay } from '@graphql-auth/test-kit/smtp-relay';
import { openMailbox, tokenFromLink } from '@graphql-auth/test-kit/mailbox';
import { SERVER_DIR } from '@graphql-auth/test-kit/server-process';
import { createSoftwareAuthenticator } from '@graphql-auth/test-kit/software-authenticator';
import { addPasskey, loginOptions, logInWithPasskey } from '@graphql-auth/test-kit/passkeys';
import { generateSigningKey } from '../src/auth/signing-keys.ts';
import { KEY_ENCRYPTION_SECRET_FILE, withKeyEncryptionSecret } from '../src/auth/key-encryption-secret.ts';
import { loadConfig } from '../src/config.ts';
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { challengeFor, signUpWithTotp } from './support/second-factor.ts';

/** Every row of every table, as a thief with a read-only copy of the database would have them. */
async function copyOfDatabase(t: TestApp): Promise<Record<string, Record<string, unknown>[]>> {
  const em = t.orm.em.fork();
  const tables = await em.execute<{ table_name: string }[]>(`select table_name from information_schema.tables where table_schema = 'public'`);
  const copy: Record<string, Record<string, unknown>[]> = {};
  for (const { table_name } of tables) copy[table_name] = await em.execute(`select * from "${table_name}"`);
  return copy;
}

/** Every JSON object anywhere in the copy that could be a private JWK (it has a `d`). */
function privateKeysIn(value: unknown): JWK[] {
  if (Buffer.isBuffer(value)) {
    try {
      return privateKeysIn(JSON.parse(value.toString('utf8')));
    } catch {
      return [];
    }
  }
  if (typeof value === 'string') {
    try {
      return value.includes('"d"') ? privateKeysIn(JSON.parse(value)) : [];
    } catch {
      return [];
    }
  }
  if (Array.isArray(value)) return value.flatMap(privateKeysIn);
  if (value !== null && typeof value === 'object') {
    const found = 'd' in value && 'kty' in value ? [value as JWK] : [];
    return [...found, ...Object.values(value).flatMap(privateKeysIn)];
  }
  return [];
}

describe('a copy of the database', () => {
  let t: TestApp;
  let victim: AuthPayloadData;
  beforeAll(async () => {
    t = await createTestApp();
    victim = (await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } })).data!.signup;
  });
  afterAll(() => t.close());

  it('holds no private signing key and not the secret that seals them', async () => {
    const copy = await copyOfDatabase(t);
    expect(copy.signing_keys?.length).toBeGreaterThan(0);
    expect(privateKeysIn(copy)).toEqual([]);
    for (const row of copy.signing_keys ?? []) {
      expect(row.private_jwk).toBeNull();
      expect(Buffer.isBuffer(row.sealed_private_jwk)).toBe(true);
    }
    const dump = JSON.stringify(copy, (_key, value: unknown) => (value && typeof value === 'object' && 'type' in value && value.type === 'Buffer' ? Buffer.from((value as unknown as { data: number[] }).data).toString('base64') : value));
    expect(dump).not.toContain(t.config.keyEncryptionSecret!);
  });

  it('cannot mint an access token the service accepts: jose has no private key to sign with, and a made-up key is refused', async () => {
    const copy = await copyOfDatabase(t);
    const kid = String(copy.signing_keys?.[0]?.kid);
    // The best a thief can do: sign with a key of their own under the stored kid.
    const forged = await new SignJWT({ sid: crypto.randomUUID() })
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
      .setIssuer(t.config.publicOrigin)
      .setAudience(`${t.config.publicOrigin}/graphql`)
      .setSubject(victim.user.id)
      .setJti(crypto.randomUUID())
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(await importJWK(generateSigningKey(), 'EdDSA'));
    expectUnauthenticated(await graphql(t.app, ME, { token: forged }), 'TOKEN_INVALID');
  });

  it('yields hashes of refresh tokens only, never the tokens themselves', async () => {
    const copy = await copyOfDatabase(t);
    const secret = victim.refreshToken!.split('.')[1]!;
    const dump = JSON.stringify(copy, (_key, value: unknown) => (value && typeof value === 'object' && 'type' in value && value.type === 'Buffer' ? Buffer.from((value as unknown as { data: number[] }).data).toString('base64url') : value));
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(victim.accessToken!);
  });

  it('yields neither a rotated refresh token nor the successor sealed for the grace window', async () => {
    const session = (await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } })).data!.signup;
    const rotated = (await graphql<{ refresh: AuthPayloadData }>(t.app, REFRESH, { variables: { refreshToken: session.refreshToken } })).data!.refresh;
    const copy = await copyOfDatabase(t);
    const row = copy.sessions?.find((candidate) => candidate.id === session.refreshToken!.split('.')[0]);
    expect(Buffer.isBuffer(row?.sealed_successor)).toBe(true);
    const dump = JSON.stringify(copy, (_key, value: unknown) => (value && typeof value === 'object' && 'type' in value && value.type === 'Buffer' ? Buffer.from((value as unknown as { data: number[] }).data).toString('base64url') : value));
    for (const token of [session.refreshToken!, rotated.refreshToken!]) expect(dump).not.toContain(token.split('.')[1]);
  });

  it('holds no authenticator secret in plaintext, no recovery code and no login challenge, only sealed secrets and hashes', async () => {
    const { account, secret, recoveryCodes, session } = await signUpWithTotp(t);
    const challenge = await challengeFor(t, account);
    const copy = await copyOfDatabase(t);
    const raw = Buffer.from(decodeBase32IgnorePadding(secret));
    for (const encoding of ['base64', 'base64url', 'hex'] as const) {
      const dump = JSON.stringify(copy, (_key, value: unknown) => (value && typeof value === 'object' && 'type' in value && value.type === 'Buffer' ? Buffer.from((value as unknown as { data: number[] }).data).toString(encoding) : value));
      const forbidden = [secret, secret.toLowerCase(), raw.toString(encoding), challenge, Buffer.from(challenge, 'base64url').toString(encoding), ...recoveryCodes, ...recoveryCodes.map((code) => code.replaceAll('-', ''))];
      for (const text of forbidden) expect(dump).not.toContain(text);
    }
    const [credential] = (copy.totp_credentials ?? []).filter((row) => row.user_id === session.user.id);
    expect(Buffer.isBuffer(credential?.sealed_secret)).toBe(true);
    expect((copy.recovery_codes ?? []).filter((row) => row.user_id === session.user.id)).toHaveLength(10);
    expect((copy.login_challenges ?? []).filter((row) => row.user_id === session.user.id)).toHaveLength(1);
  });

  it('yields emailed links only as SHA-256 hashes of their tokens, and no body of the emails that carried them', async () => {
    // An app of its own that sends through a real relay: the emails are read as their recipients read them.
    const relay = await startTestRelay();
    const t = await createTestApp({ SMTP_URL: relay.url });
    onTestFinished(async () => {
      await t.close();
      await relay.stop();
    });
    const mail = openMailbox(t, relay);
    const account = newAccount();
    const signup = (await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: account, transport: 'BEARER' } })).data!.signup;
    const newEmail = newAccount().email;
    await graphql(t.app, REQUEST_PASSWORD_RESET, { variables: { email: account.email } });
    await graphql(t.app, CHANGE_EMAIL, { token: signup.accessToken!, variables: { newEmail, currentPassword: account.password } });
    // The reset link is queued after its answer, so the three may come in any order.
    const received = [await mail.nextEmailTo(account.email), await mail.nextEmailTo(account.email), await mail.nextEmailTo(account.email), await mail.nextEmailTo(newEmail)];
    const tokens = ['/verify-email', '/confirm-email', '/reset-password'].map((page) => {
      const email = received.find((candidate) => candidate.links.some((link) => new URL(link).pathname === page));
      if (!email) throw new Error(`no email links to ${page}`);
      return tokenFromLink(email, page);
    });
    // Waits until the worker recorded every delivery, which is when it erases the body.
    await mail.emailsTo(account.email);

    const copy = await copyOfDatabase(t);
    const dump = JSON.stringify(copy, (_key, value: unknown) => (value && typeof value === 'object' && 'type' in value && value.type === 'Buffer' ? Buffer.from((value as unknown as { data: number[] }).data).toString('base64url') : value));
    const stored = (copy.email_tokens ?? []).map((row) => Buffer.from(row.token_hash as Buffer).toString('hex'));
    for (const token of tokens) {
      expect(dump).not.toContain(token);
      expect(dump).not.toContain(Buffer.from(token, 'base64url').toString('hex'));
      expect(stored).toContain(createHash('sha256').update(Buffer.from(token, 'base64url')).digest('hex'));
    }
    const outbox = (copy.email_outbox ?? []).filter((row) => row.recipient === account.email || row.recipient === newEmail);
    expect(outbox.length).toBeGreaterThanOrEqual(3);
    // Sent mail loses its body at once; mail still waiting is sealed (see email-delivery.test.ts).
    for (const row of outbox) expect({ kind: row.kind, sent: row.sent_at, body: row.body }).toEqual({ kind: row.kind, sent: expect.anything(), body: null });
  });
  it('yields the public keys of passkeys only, and the challenges of ceremonies under way only as SHA-256 hashes', async () => {
    const authenticator = createSoftwareAuthenticator({ origin: t.config.publicOrigin });
    await addPasskey(t.app, { token: victim.accessToken! }, authenticator);
    expect((await logInWithPasskey(t.app, authenticator, { transport: 'BEARER' })).errors).toBeUndefined();
    const pending = (JSON.parse(await loginOptions(t.app)) as { challenge: string }).challenge;

    const copy = await copyOfDatabase(t);
    const dump = JSON.stringify(copy, (_key, value: unknown) => (value && typeof value === 'object' && 'type' in value && value.type === 'Buffer' ? Buffer.from((value as unknown as { data: number[] }).data).toString('hex') : value));
    const credential = authenticator.credentials[0]!;
    const privateJwk = credential.privateKey.export({ format: 'jwk' });
    const privateDer = credential.privateKey.export({ format: 'der', type: 'pkcs8' });
    expect(dump).not.toContain(Buffer.from(privateJwk.d!, 'base64url').toString('hex'));
    expect(dump).not.toContain(privateDer.toString('hex'));
    expect(privateKeysIn(copy)).toEqual([]);
    const [row] = (copy.passkeys ?? []).filter((passkey) => passkey.user_id === victim.user.id);
    // The stored key is the public point, nothing more.
    expect(Buffer.from(row?.public_key as Buffer).toString('hex')).toContain(Buffer.from(privateJwk.x!, 'base64url').toString('hex'));
    expect(Buffer.from(row?.credential_id as Buffer).equals(credential.id)).toBe(true);
    expect(dump).not.toContain(Buffer.from(pending).toString('hex'));
    expect(dump).not.toContain(pending);
    const hashes = (copy.webauthn_challenges ?? []).map((challenge) => Buffer.from(challenge.challenge_hash as Buffer).toString('hex'));
    expect(hashes).toContain(createHash('sha256').update(pending).digest('hex'));
  });
});

describe('signing keys stored before they were encrypted', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('are sealed and emptied at the next start, and the tokens they signed stay valid', async () => {
    // Put the current key back into plaintext, as an older version of the service stored it.
    const before = (await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } })).data!.signup;
    const legacy = generateSigningKey();
    const em = t.orm.em.fork();
    await em.execute(`update signing_keys set retired_at = now() where retired_at is null`);
    await em.execute(`insert into signing_keys (kid, algorithm, private_jwk, created_at) values (?, 'EdDSA', ?, now())`, [legacy.kid, JSON.stringify(legacy)]);

    const restarted = await t.createPeer();
    try {
      const [row] = await em.execute<{ private_jwk: unknown; sealed_private_jwk: Buffer | null }[]>('select private_jwk, sealed_private_jwk from signing_keys where kid = ?', [legacy.kid]);
      expect(row?.private_jwk).toBeNull();
      expect(row?.sealed_private_jwk?.length).toBeGreaterThan(0);
      const after = (await graphql<{ signup: AuthPayloadData }>(restarted.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } })).data!.signup;
      expect(JSON.parse(Buffer.from(after.accessToken!.split('.')[0]!, 'base64url').toString()).kid).toBe(legacy.kid);
      expect((await graphql(restarted.app, ME, { token: before.accessToken! })).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });
});

describe('KEY_ENCRYPTION_SECRET', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('must be the one the keys were sealed with: another secret stops the start with a message naming the variable', async () => {
    await expect(t.createPeer({ KEY_ENCRYPTION_SECRET: 'a different secret of at least 32 chars' })).rejects.toThrow(/KEY_ENCRYPTION_SECRET/);
  });

  it('can be changed: with the old one as KEY_ENCRYPTION_SECRET_PREVIOUS the keys are sealed again, then the new one alone suffices', async () => {
    const account = newAccount();
    const before = (await graphql<{ signup: AuthPayloadData }>(t.app, SIGNUP, { variables: { input: account, transport: 'BEARER' } })).data!.signup;
    const next = 'the next secret, also 32 characters or more';
    const changing = await t.createPeer({ KEY_ENCRYPTION_SECRET: next, KEY_ENCRYPTION_SECRET_PREVIOUS: t.config.keyEncryptionSecret! });
    await changing.close();
    const changed = await t.createPeer({ KEY_ENCRYPTION_SECRET: next });
    try {
      expect((await graphql(changed.app, ME, { token: before.accessToken! })).status).toBe(200);
      const login = await graphql<{ login: AuthPayloadData }>(changed.app, LOGIN, { variables: { input: { email: account.email, password: account.password }, transport: 'BEARER' } });
      expect((await graphql(t.app, ME, { token: login.data!.login.accessToken! })).status).toBe(200);
    } finally {
      await changed.close();
    }
  });

});

describe('npm run keys:rotate', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('needs the KEY_ENCRYPTION_SECRET the keys were sealed with, and rotates with it', { timeout: 30_000 }, () => {
    const env = { PATH: process.env.PATH ?? '', DATABASE_URL: t.databaseUrl, KEY_ENCRYPTION_SECRET: 'a wrong secret that is 32 characters long' };
    const wrong = spawnSync(process.execPath, ['src/rotate-keys.ts'], { cwd: SERVER_DIR, env, encoding: 'utf8' });
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/KEY_ENCRYPTION_SECRET/);

    const right = spawnSync(process.execPath, ['src/rotate-keys.ts'], { cwd: SERVER_DIR, env: { ...env, KEY_ENCRYPTION_SECRET: t.config.keyEncryptionSecret! }, encoding: 'utf8' });
    expect(right.stderr).toBe('');
    expect(right.status).toBe(0);
    expect(right.stdout).toMatch(/New signing key [0-9a-f-]{36} is current/);
  });
});

describe('the development secret in .data/', () => {
  it('is generated once, readable by its owner only, and read back on the next start', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'key-secret-')), 'data');
    const config = loadConfig({ NODE_ENV: 'development' });
    const first = await withKeyEncryptionSecret(config, dataDir);
    const second = await withKeyEncryptionSecret(config, dataDir);
    expect(first.keyEncryptionSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second.keyEncryptionSecret).toBe(first.keyEncryptionSecret);
    expect((await readFile(join(dataDir, KEY_ENCRYPTION_SECRET_FILE), 'utf8')).trim()).toBe(first.keyEncryptionSecret);
    expect((await stat(join(dataDir, KEY_ENCRYPTION_SECRET_FILE))).mode & 0o777).toBe(0o600);
  });

  it('is never generated in production', async () => {
    const dataDir = join(await mkdtemp(join(tmpdir(), 'key-secret-')), 'data');
    const config = loadConfig({ NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', KEY_ENCRYPTION_SECRET: 'a production secret of 32 characters' });
    expect(await withKeyEncryptionSecret(config, dataDir)).toBe(config);
    await expect(stat(dataDir)).rejects.toThrow();
  });
});
