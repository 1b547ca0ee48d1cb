import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCookieJar, type GraphQLErrorBody } from './support/graphql-request.ts';
import { ME, newAccount, SIGNUP, type AuthPayloadData } from './support/operations.ts';
import { exitWithin, freePort, killServerProcesses, SERVER_DIR, startServerProcess as startServer, waitUntilReady } from './support/server-process.ts';
import { createTestDatabase } from './support/test-database.ts';

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
  });
});
