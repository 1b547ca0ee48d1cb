import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import type { GraphQLErrorBody } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, ME, newAccount, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { exitWithin, killServerProcesses, SERVER_DIR, startServerProcess as startServer, waitUntilReady } from '@graphql-auth/test-kit/server-process';
import { freePort } from '@graphql-auth/test-kit/free-port';
import { createTestDatabase } from '@graphql-auth/test-kit/test-database';

/** Given, so that no development process of these tests generates one into the worktree's .data/. */
const OWN_KEY_ENCRYPTION_SECRET = { KEY_ENCRYPTION_SECRET: 'key-encryption-secret-of-these-test-processes' };

/** The repository root, where the README's npm commands run. */
const ROOT_DIR = join(SERVER_DIR, '..');

// A failed assertion must not leave a server behind.
afterEach(killServerProcesses);

describe('the server entry point as a child process', () => {
  let database: { url: string; drop(): Promise<void> };
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('starts on DATABASE_URL, serves signup and me over HTTP, and exits with code 0 on SIGTERM', { timeout: 40_000 }, async () => {
    const port = await freePort();
    const server = startServer({ DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', BCRYPT_COST: '4' });
    await waitUntilReady(server);
    const base = server.base;

    const account = newAccount();
    const signup = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: SIGNUP, variables: { input: account } }),
    });
    const signupBody = (await signup.json()) as { data?: { signup: AuthPayloadData }; errors?: GraphQLErrorBody[] };
    expect(signupBody.errors).toBeUndefined();
    expect(signupBody.data?.signup.user.email).toBe(account.email);
    const jar = createCookieJar();
    jar.store(signup);
    expect(jar.names().sort()).toEqual(['access-token', 'device', 'refresh-token']);

    const me = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', cookie: jar.header() },
      body: JSON.stringify({ query: ME }),
    });
    expect(me.status).toBe(200);
    const meBody = (await me.json()) as { data?: { me: { id: string; email: string } }; errors?: GraphQLErrorBody[] };
    expect(meBody.errors).toBeUndefined();
    expect(meBody.data?.me).toMatchObject({ id: signupBody.data?.signup.user.id, email: account.email });

    server.child.kill('SIGTERM');
    const exit = await exitWithin(server, 5000);
    expect(exit, `stderr:\n${server.stderr()}`).toEqual({ code: 0, signal: null });
    expect(server.stdout()).toMatch(/shutting down/);
    expect(server.stdout()).toMatch(/"msg":"stopped"/);
    expect(server.stderr()).not.toMatch(/error|^\s+at /im);
  });

  it('exits non-zero on a JWT_PRIVATE_KEYS key whose parts make no key, naming the variable and the kid, never the private part', { timeout: 40_000 }, async () => {
    const notAKey = 'c2VjcmV0LXRoYXQtaXMtbm90LWEta2V5';
    const keys = JSON.stringify({ keys: [{ kid: 'broken-key', kty: 'OKP', crv: 'Ed25519', d: notAKey, x: 'eA' }] });
    const server = startServer({ DATABASE_URL: database.url, PORT: String(await freePort()), HOST: '127.0.0.1', JWT_PRIVATE_KEYS: keys });
    const exit = await exitWithin(server, 20_000);
    expect(exit === 'still running' ? 'still running' : exit.code).toBe(1);
    expect(server.stderr()).toMatch(/JWT_PRIVATE_KEYS: key broken-key is not a valid Ed25519 private key/);
    expect(server.stderr()).not.toContain(notAKey);
    expect(server.stderr()).not.toMatch(/^\s+at /m);
  });

  it('exits non-zero with a clear message when its port is taken, and leaves nothing running', { timeout: 40_000 }, async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const server = startServer({ DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', BCRYPT_COST: '4' });
      const exit = await exitWithin(server, 20_000);
      expect(exit).not.toBe('still running');
      expect(exit === 'still running' ? null : exit.code).not.toBe(0);
      expect(server.stderr()).toContain(`cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
      expect(server.stderr()).not.toMatch(/^\s+at /m);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('rotates the signing key with npm run keys:rotate: the running server signs with the new key and still lists the old one', { timeout: 40_000 }, async () => {
    const server = startServer({ DATABASE_URL: database.url, PORT: String(await freePort()), HOST: '127.0.0.1', BCRYPT_COST: '4', LOG_LEVEL: 'warn' });
    await waitUntilReady(server);
    const kids = async () => ((await (await fetch(`${server.base}/.well-known/jwks.json`)).json()) as { keys: { kid: string }[] }).keys.map((key) => key.kid);
    const before = await kids();

    const rotation = spawnSync(process.execPath, ['src/rotate-keys.ts'], { cwd: SERVER_DIR, env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url }, encoding: 'utf8' });
    expect(rotation.status, rotation.stderr).toBe(0);
    const newKid = /New signing key (\S+) is current/.exec(rotation.stdout)?.[1];
    expect(newKid).toBeTruthy();

    let after = await kids();
    for (let tries = 0; tries < 50 && !after.includes(newKid!); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      after = await kids();
    }
    expect(after).toEqual(expect.arrayContaining([newKid, ...before]));
    const signup = await fetch(`${server.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: SIGNUP, variables: { input: newAccount(), transport: 'BEARER' } }),
    });
    const token = ((await signup.json()) as { data: { signup: { accessToken: string } } }).data.signup.accessToken;
    expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid).toBe(newKid);
    server.child.kill('SIGTERM');
    await server.exited;
  });

  describe('refuses an invalid configuration at start-up', () => {
    // Never reached when the configuration is refused; a closed port so nothing else is touched if it were.
    const unreachableDatabase = 'postgres://nobody@127.0.0.1:9/none';

    it('exits non-zero on ACCESS_TOKEN_TTL=banana, naming the variable without a stack trace', async () => {
      const server = startServer({ DATABASE_URL: unreachableDatabase, PORT: String(await freePort()), ACCESS_TOKEN_TTL: 'banana' });
      const exit = await exitWithin(server, 10_000);
      expect(exit).not.toBe('still running');
      expect(exit).toMatchObject({ signal: null });
      expect(exit === 'still running' ? null : exit.code).not.toBe(0);
      expect(server.stderr()).toMatch(/ACCESS_TOKEN_TTL/);
      expect(server.stderr()).toMatch(/banana/);
      expect(server.stderr()).not.toMatch(/^\s+at /m);
    });

    it('exits non-zero on NODE_ENV=production without KEY_ENCRYPTION_SECRET, naming the variable', async () => {
      const server = startServer({ DATABASE_URL: unreachableDatabase, PORT: String(await freePort()), NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com' });
      const exit = await exitWithin(server, 10_000);
      expect(exit === 'still running' ? 'still running' : exit.code).toBe(1);
      expect(server.stderr()).toMatch(/KEY_ENCRYPTION_SECRET: required in production/);
      expect(server.stderr()).not.toMatch(/^\s+at /m);
    });

    it('exits non-zero on NODE_ENV=production with BCRYPT_COST=4, naming the variable without a stack trace', async () => {
      const server = startServer({
        DATABASE_URL: unreachableDatabase,
        PORT: String(await freePort()),
        NODE_ENV: 'production',
        PUBLIC_ORIGIN: 'https://auth.example.com',
        BCRYPT_COST: '4',
      });
      const exit = await exitWithin(server, 10_000);
      expect(exit).not.toBe('still running');
      expect(exit).toMatchObject({ signal: null });
      expect(exit === 'still running' ? null : exit.code).not.toBe(0);
      expect(server.stderr()).toMatch(/BCRYPT_COST/);
      expect(server.stderr()).not.toMatch(/^\s+at /m);
    });

    it('exits non-zero on an unreachable DATABASE_URL, naming the variable and the host but never the password', async () => {
      const server = startServer({ DATABASE_URL: 'postgres://auth:hunter2-secret@127.0.0.1:9/auth', PORT: String(await freePort()), ...OWN_KEY_ENCRYPTION_SECRET });
      const exit = await exitWithin(server, 15_000);
      expect(exit).toMatchObject({ signal: null });
      expect(exit === 'still running' ? null : exit.code).toBe(1);
      expect(server.stderr()).toContain('DATABASE_URL (postgres://auth@127.0.0.1:9/auth)');
      expect(server.stderr()).toContain('ECONNREFUSED');
      expect(server.stderr() + server.stdout()).not.toContain('hunter2');
      expect(server.stderr()).not.toMatch(/^\s+at /m);
    });

    it('npm start checks the configuration before building the web app, and npm adds no error trailer', { timeout: 60_000 }, () => {
      const start = spawnSync('npm', ['start'], { cwd: ROOT_DIR, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ACCESS_TOKEN_TTL: 'banana' }, encoding: 'utf8', timeout: 50_000 });
      expect(start.status).toBe(1);
      expect(start.stderr).toMatch(/ACCESS_TOKEN_TTL: .*banana/);
      expect(start.stdout, 'the web build did not run').not.toMatch(/vite|built in/);
      expect(start.stderr).not.toMatch(/npm error/);
    });

    it('npm run migrate on an unreachable DATABASE_URL names the variable, without npm\'s error trailer', { timeout: 60_000 }, () => {
      const migrate = spawnSync('npm', ['run', 'migrate'], {
        cwd: ROOT_DIR,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: unreachableDatabase, ...OWN_KEY_ENCRYPTION_SECRET },
        encoding: 'utf8',
        timeout: 50_000,
      });
      expect(migrate.status).toBe(1);
      expect(migrate.stderr).toContain('DATABASE_URL (postgres://nobody@127.0.0.1:9/none)');
      expect(migrate.stderr).not.toMatch(/npm error|^\s+at /m);
    });
  });
});

describe('several processes on one embedded PostgreSQL', () => {
  let parent: string;
  afterEach(async () => {
    if (parent) await rm(parent, { recursive: true, force: true });
  });

  /** What `npm start`, `npm run migrate` and `npm run keys:rotate` see on a fresh clone: no DATABASE_URL. */
  async function embeddedEnvironment(): Promise<Record<string, string>> {
    parent = await mkdtemp(join(tmpdir(), 'shared-embedded-'));
    // Reachable for the postgres user when the tests run as root.
    await chmod(parent, 0o755);
    return {
      EMBEDDED_POSTGRES_DIR: join(parent, 'postgres'),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      // Instances share the tokens' issuer and audience, so a token from one works on the other.
      PUBLIC_ORIGIN: 'http://localhost:4000',
      // Shared by the processes, as by the instances of a deployment.
      ...OWN_KEY_ENCRYPTION_SECRET,
      BCRYPT_COST: '4',
      LOG_LEVEL: 'warn',
    };
  }

  async function post(base: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, body: (await response.json()) as { data?: Record<string, { email?: string; accessToken?: string }>; errors?: GraphQLErrorBody[] } };
  }

  const keyIdOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid;

  function runScript(script: string, env: Record<string, string>) {
    return spawnSync(process.execPath, [script], { cwd: SERVER_DIR, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8', timeout: 30_000 });
  }

  it('migrate, keys:rotate and a second server on another port use the running cluster and never stop it', { timeout: 90_000 }, async () => {
    const env = await embeddedEnvironment();
    const first = startServer({ ...env, PORT: String(await freePort()), HOST: '127.0.0.1' });
    await waitUntilReady(first);
    const account = newAccount();
    const signup = await post(first.base, SIGNUP, { input: account, transport: 'BEARER' });
    const tokenBefore = signup.body.data?.signup?.accessToken;
    expect(tokenBefore, JSON.stringify(signup.body)).toBeTruthy();
    const firstAnswersMe = async (token: string) => {
      const me = await post(first.base, ME, {}, token);
      expect(me.status).toBe(200);
      expect(me.body.errors).toBeUndefined();
      expect(me.body.data?.me?.email).toBe(account.email);
    };

    const migration = runScript('src/migrate.ts', env);
    expect(migration.status, migration.stderr).toBe(0);
    expect(migration.stdout).toMatch(new RegExp(`process ${first.child.pid}`));
    await firstAnswersMe(tokenBefore!);

    const rotation = runScript('src/rotate-keys.ts', env);
    expect(rotation.status, rotation.stderr).toBe(0);
    const newKid = /New signing key (\S+) is current/.exec(rotation.stdout)?.[1];
    expect(newKid).toBeTruthy();
    expect(keyIdOf(tokenBefore!)).not.toBe(newKid);
    await firstAnswersMe(tokenBefore!);
    // Every instance switches within a second (LISTEN/NOTIFY); poll until the first one signs with the new key.
    let tokenAfter = '';
    for (let tries = 0; tries < 40 && keyIdOf(tokenAfter || tokenBefore!) !== newKid; tries++) {
      const login = await post(first.base, LOGIN, { input: { email: account.email, password: account.password }, transport: 'BEARER' });
      tokenAfter = login.body.data?.login?.accessToken ?? '';
      expect(tokenAfter, JSON.stringify(login.body)).toBeTruthy();
      if (keyIdOf(tokenAfter) !== newKid) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(keyIdOf(tokenAfter)).toBe(newKid);
    await firstAnswersMe(tokenAfter);

    const second = startServer({ ...env, PORT: String(await freePort()), HOST: '127.0.0.1' });
    await waitUntilReady(second);
    const meOnSecond = await post(second.base, ME, {}, tokenBefore!);
    expect(meOnSecond.body.data?.me?.email, JSON.stringify(meOnSecond.body)).toBe(account.email);
    second.child.kill('SIGTERM');
    expect(await exitWithin(second, 10_000)).toEqual({ code: 0, signal: null });

    await firstAnswersMe(tokenBefore!);
    expect((await fetch(`${first.base}/readyz`)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await exitWithin(first, 10_000)).toEqual({ code: 0, signal: null });
  });
});
