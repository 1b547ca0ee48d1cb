import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotateSigningKeys } from '../src/auth/signing-keys.ts';
import { secretEnvelopeOf } from '../src/auth/secret-envelope.ts';
import { deleteExpiredRecords } from '../src/maintenance/cleanup.ts';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { graphql } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, LOGOUT, ME, newAccount, REFRESH, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';

type Tokens = AuthPayloadData & { accessToken: string; refreshToken: string };

async function signupBearer(app: TestApp['app']): Promise<Tokens> {
  const response = await graphql<{ signup: Tokens }>(app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } });
  return response.data!.signup;
}

/** How long until `me` on `app` answers SESSION_REVOKED for `token`, polling every 20 ms for up to 3 s. */
async function msUntilRevoked(app: TestApp['app'], token: string): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < 3000) {
    const me = await graphql(app, ME, { token });
    if (me.errors?.[0]?.extensions?.reason === 'SESSION_REVOKED') return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Number.POSITIVE_INFINITY;
}

const kidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).kid as string;

describe('two instances on one database', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await createTestApp({ REVOCATION_CATCH_UP: '300ms' });
    b = await a.createPeer();
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('accepts on one instance the tokens the other issued', async () => {
    const tokens = await signupBearer(a.app);
    const me = await graphql<{ me: { id: string } }>(b.app, ME, { token: tokens.accessToken });
    expect(me.data?.me.id).toBe(tokens.user.id);
  });

  it('rejects an access token on the other instance within a second of logout', async () => {
    const tokens = await signupBearer(a.app);
    expect((await graphql(b.app, ME, { token: tokens.accessToken })).status).toBe(200);

    await graphql(a.app, LOGOUT, { variables: { refreshToken: tokens.refreshToken } });
    expect(await msUntilRevoked(b.app, tokens.accessToken)).toBeLessThan(1000);
  });

  it('rejects the session everywhere within a second of refresh-token reuse detected on one instance', async () => {
    const tokens = await signupBearer(a.app);
    const rotated = await graphql<{ refresh: Tokens }>(a.app, REFRESH, { variables: { refreshToken: tokens.refreshToken } });
    a.clock.advance(a.config.refreshGraceMs + 1000);
    const reused = await graphql(a.app, REFRESH, { variables: { refreshToken: tokens.refreshToken } });
    expect(reused.errors?.[0]?.extensions?.reason).toBe('REFRESH_TOKEN_REUSED');

    expect(await msUntilRevoked(b.app, rotated.data!.refresh.accessToken!)).toBeLessThan(1000);
  });

  it('catches up on a revocation whose notification it never heard', async () => {
    const tokens = await signupBearer(a.app);
    const sessionId = tokens.refreshToken.split('.')[0]!;
    // Written behind the service's back: no NOTIFY goes out, only the periodic catch-up can see it.
    await a.orm.em.fork().execute(`update sessions set revoked_at = ?, revoked_reason = 'revoked' where id = ?`, [a.clock.now(), sessionId]);

    expect(await msUntilRevoked(b.app, tokens.accessToken)).toBeLessThan(1000 + a.config.revocationCatchUpMs);
  });

  it('signs with a rotated key on every instance while older tokens stay valid, and rejects a removed key at once', async () => {
    const before = await signupBearer(a.app);
    const rotation = await rotateSigningKeys(a.orm.em.fork(), secretEnvelopeOf(a.config)!, a.clock.now());
    expect(rotation.retired).toContain(kidOf(before.accessToken));

    const waitForKid = async (app: TestApp['app']) => {
      for (let tries = 0; tries < 100; tries++) {
        const login = await graphql<{ signup: Tokens }>(app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } });
        if (kidOf(login.data!.signup.accessToken) === rotation.kid) return login.data!.signup;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the instance never started signing with the new key');
    };
    const fromA = await waitForKid(a.app);
    const fromB = await waitForKid(b.app);
    expect((await graphql(b.app, ME, { token: fromA.accessToken })).status).toBe(200);
    expect((await graphql(a.app, ME, { token: fromB.accessToken })).status).toBe(200);
    expect((await graphql(b.app, ME, { token: before.accessToken })).status).toBe(200);

    const jwks = (await (await b.app.fetch('http://localhost/.well-known/jwks.json')).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid)).toEqual(expect.arrayContaining([rotation.kid, kidOf(before.accessToken)]));

    await a.orm.em.fork().execute(`delete from signing_keys where kid = ?`, [kidOf(before.accessToken)]);
    await a.orm.em.fork().execute(`select pg_notify('signing_keys_changed', 'removed')`);
    let answer = 200;
    for (let tries = 0; tries < 100 && answer === 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      answer = (await graphql(b.app, ME, { token: before.accessToken })).status;
    }
    const rejected = await graphql(b.app, ME, { token: before.accessToken });
    expect(rejected.status).toBe(401);
    expect(rejected.errors?.[0]?.extensions?.reason).toBe('TOKEN_INVALID');
  });
});

describe('the cleanup of expired records', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ REFRESH_IDLE_TTL: '1h', SESSION_MAX_AGE: '2h' });
  });
  afterAll(() => t.close());

  it('deletes sessions past their lifetime and closed rate-limit windows, keeps live ones, and is safe to run on every instance at once', async () => {
    const account = newAccount();
    await graphql(t.app, SIGNUP, { variables: { input: account, transport: 'BEARER' } });
    t.clock.advance(2 * 3_600_000 + 1000);
    const live = await graphql<{ login: Tokens }>(t.app, LOGIN, { variables: { input: { email: account.email, password: account.password }, transport: 'BEARER' } });
    const em = t.orm.em.fork();
    await em.execute(`insert into rate_limit_counters (key, count, window_ends_at) values ('test:closed', 3, ?), ('test:open', 1, ?)`, [
      new Date(t.clock.now().getTime() - 1000),
      new Date(t.clock.now().getTime() + 60_000),
    ]);

    const runs = await Promise.all(
      [0, 1, 2].map(() => deleteExpiredRecords(t.orm.em.fork(), { now: t.clock.now(), accessTokenTtlMs: t.config.accessTokenTtlMs })),
    );
    expect(runs.reduce((sum, run) => sum + run.sessions, 0)).toBe(1);
    expect(runs.reduce((sum, run) => sum + run.rateLimitCounters, 0)).toBe(1);

    const sessions = await em.execute<{ id: string }[]>('select id from sessions');
    expect(sessions.map((row) => row.id)).toEqual([live.data!.login.refreshToken!.split('.')[0]]);
    const counters = (await em.execute<{ key: string }[]>('select key from rate_limit_counters')).map((row) => row.key);
    expect(counters).toContain('test:open');
    expect(counters).not.toContain('test:closed');
    expect((await graphql(t.app, ME, { token: live.data!.login.accessToken! })).status).toBe(200);
  });
});
