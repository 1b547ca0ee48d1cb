import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { graphql } from '@graphql-auth/test-kit/graphql-request';
import type { TcpProxy } from '@graphql-auth/test-kit/tcp-proxy';
import { startPostgresProxy } from '@graphql-auth/test-kit/test-database';
import { LOGIN, LOGOUT, ME, newAccount, REFRESH, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';

type Tokens = AuthPayloadData & { accessToken: string; refreshToken: string };

describe('logs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ LOG_LEVEL: 'trace' });
  });
  afterAll(() => t.close());

  it('carry a request id and never a token, password or cookie value, even at trace level', async () => {
    const account = newAccount({ password: 'a very secret passphrase 42' });
    const jar = createCookieJar();
    await graphql(t.app, SIGNUP, { variables: { input: account }, jar });
    const bearer = await graphql<{ login: Tokens }>(t.app, LOGIN, {
      variables: { input: { email: account.email, password: account.password }, transport: 'BEARER' },
    });
    await graphql(t.app, LOGIN, { variables: { input: { email: account.email, password: 'wrong guess 1234' } } });
    const refreshed = await graphql<{ refresh: Tokens }>(t.app, REFRESH, { variables: { refreshToken: bearer.data!.login.refreshToken } });
    await graphql(t.app, ME, { jar });
    await graphql(t.app, ME, { token: 'not.a.token' });
    await graphql(t.app, LOGOUT, { jar });
    // Client mistakes whose error text would quote the secret: a parse error, a wrong type in a variable, an unknown field.
    await graphql(t.app, `mutation {\n  login(input: { email: "a@example.com", password: "parse error secret 1" }) { user { id }\n`);
    await graphql(t.app, LOGIN, { variables: { input: { email: account.email, password: ['variable secret 2'] } } });
    await graphql(t.app, `mutation {\n  refresh(refreshToken: "${bearer.data!.login.refreshToken}") {\n    nosuchfield\n  }\n}`);
    await t.app.fetch(`http://localhost:4000/graphql?query=${encodeURIComponent('{ me(token: "query secret 3") { id } }')}`);

    const secrets = [
      'parse error secret 1',
      'variable secret 2',
      'query secret 3',
      account.password,
      'wrong guess 1234',
      bearer.data!.login.accessToken,
      bearer.data!.login.refreshToken,
      refreshed.data!.refresh.accessToken,
      refreshed.data!.refresh.refreshToken,
      ...jar.names().map((name) => jar.get(name)!),
    ];
    const logs = t.logs.join('');
    expect(t.logs.length).toBeGreaterThan(5);
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      // The secret half of a refresh token on its own must not appear either.
      expect(logs).not.toContain(secret.split('.').at(-1));
    }
    const lines = t.logs.map((line) => JSON.parse(line) as { level: number; msg: string; requestId?: string });
    // None of it is the server's failure: nothing at warn or error.
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);
    const requestLines = lines.filter((line) => line.msg === 'request');
    expect(requestLines.length).toBeGreaterThanOrEqual(7);
    for (const line of requestLines) expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const metricValue = (text: string, name: string, labels = '') => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  };

  it('exposes request counts, latency by operation and the auth events in Prometheus format', async () => {
    const account = newAccount();
    const signup = await graphql<{ signup: Tokens }>(t.app, SIGNUP, { variables: { input: account, transport: 'BEARER' } });
    await graphql(t.app, LOGIN, { variables: { input: { email: account.email, password: 'wrong guess 1234' } } });
    const rotated = await graphql<{ refresh: Tokens }>(t.app, REFRESH, { variables: { refreshToken: signup.data!.signup.refreshToken } });
    t.clock.advance(t.config.refreshGraceMs + 1000);
    await graphql(t.app, REFRESH, { variables: { refreshToken: signup.data!.signup.refreshToken } });
    await graphql(t.app, ME, { token: rotated.data!.refresh.accessToken });

    const response = await t.app.fetch('http://localhost:4000/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(metricValue(text, 'http_requests_total', 'route="graphql",status="200"')).toBeGreaterThanOrEqual(3);
    expect(metricValue(text, 'http_requests_total', 'route="graphql",status="401"')).toBeGreaterThanOrEqual(2);
    expect(metricValue(text, 'graphql_operation_duration_seconds_count', 'operation="mutation:login"')).toBe(1);
    expect(metricValue(text, 'graphql_operation_duration_seconds_count', 'operation="query:me"')).toBe(1);
    expect(metricValue(text, 'auth_login_failures_total')).toBe(1);
    expect(metricValue(text, 'auth_refreshes_total', 'result="ok"')).toBe(1);
    expect(metricValue(text, 'auth_refreshes_total', 'result="REFRESH_TOKEN_REUSED"')).toBe(1);
    expect(metricValue(text, 'auth_refresh_token_reuse_total')).toBe(1);
    expect(metricValue(text, 'auth_sessions_revoked_total', 'reason="refresh_token_reused"')).toBe(1);
    expect(text).toContain('process_resident_memory_bytes');
  });
});

describe('metrics behind METRICS_TOKEN', () => {
  const METRICS_TOKEN = 'metrics-scraper-token-0123456789';
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ METRICS_TOKEN });
  });
  afterAll(() => t.close());

  it('answers 401 without the bearer token or with a wrong one, and the metrics with it', async () => {
    const missing = await t.app.fetch('http://localhost:4000/metrics');
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expect(await missing.text()).not.toContain('http_requests_total');
    const wrong = await t.app.fetch('http://localhost:4000/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    const right = await t.app.fetch('http://localhost:4000/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('http_requests_total');
  });
});

describe('GraphiQL in production', () => {
  const production = { NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', BCRYPT_COST: '10' };
  const openGraphiQL = (t: TestApp) => t.app.fetch('http://localhost:4000/graphql', { headers: { accept: 'text/html' } });

  it('answers a browser 406 by default, and GraphiQL with GRAPHQL_INTROSPECTION=true', async () => {
    const closed = await createTestApp(production);
    const open = await createTestApp({ ...production, GRAPHQL_INTROSPECTION: 'true' });
    try {
      expect((await openGraphiQL(closed)).status).toBe(406);
      const page = await openGraphiQL(open);
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/graphiql/i);
    } finally {
      await Promise.all([closed.close(), open.close()]);
    }
  });

  it('warns at start-up that /metrics is open when METRICS_TOKEN is unset', async () => {
    const t = await createTestApp(production);
    try {
      expect(t.logs.join('\n')).toMatch(/"level":40.*set METRICS_TOKEN, or block \/metrics at the proxy/);
    } finally {
      await t.close();
    }
  });
});

describe('a database outage', () => {
  let t: TestApp;
  let proxy: TcpProxy;
  beforeAll(async () => {
    proxy = await startPostgresProxy();
    t = await createTestApp({}, { connectVia: proxy.via });
  });
  afterAll(async () => {
    proxy.restore();
    await t.close();
    await proxy.close();
  });

  it('makes /readyz fail while /healthz stays up, answers requests within 3 s with SERVICE_UNAVAILABLE, and recovers', async () => {
    const signup = await graphql<{ signup: Tokens }>(t.app, SIGNUP, { variables: { input: newAccount(), transport: 'BEARER' } });
    const token = signup.data!.signup.accessToken;
    expect((await t.app.fetch('http://localhost:4000/readyz')).status).toBe(200);

    proxy.cut();
    const readyStarted = performance.now();
    expect((await t.app.fetch('http://localhost:4000/readyz')).status).toBe(503);
    expect(performance.now() - readyStarted).toBeLessThan(3000);
    expect((await t.app.fetch('http://localhost:4000/healthz')).status).toBe(200);

    const started = performance.now();
    const me = await graphql(t.app, ME, { token });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(me.status).toBe(503);
    expect(me.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    expect(me.errors?.[0]?.extensions?.reason).toBeUndefined();
    expect(me.text).not.toMatch(/select|sessions|users|ECONN|timeout exceeded/i);

    // Inline arguments are part of the document: they must not reach the log with it. Lines stay under
    // 120 characters, so GraphQL's printed location would show the whole line if a leak remained.
    const inlinePassword = 'inline secret passphrase 77';
    const inlineRefreshToken = signup.data!.signup.refreshToken;
    const inlineLogin = await graphql(t.app, `mutation {\n  login(input: {email: "a@b.co", password: "${inlinePassword}"}) { accessTokenExpiresAt }\n}`);
    expect(inlineLogin.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const inlineRefresh = await graphql(t.app, `mutation {\n  refresh(refreshToken: "${inlineRefreshToken}") {\n    accessTokenExpiresAt\n  }\n}`);
    expect(inlineRefresh.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    const logs = t.logs.join('\n');
    for (const secret of [inlinePassword, inlineRefreshToken, inlineRefreshToken.split('.')[1]!, token]) expect(logs).not.toContain(secret);
    for (const line of t.logs.map((text) => JSON.parse(text) as { level: number; msg: string; err?: { message: string; stack: string }; requestId?: string })) {
      if (line.level < 50) continue;
      // An error line: what failed and where, under the request id, nothing of the request itself.
      expect(Object.keys(line).sort()).toEqual(['err', 'hostname', 'level', 'msg', 'path', 'pid', 'requestId', 'time'].sort());
      expect(Object.keys(line.err!).sort()).toEqual(['message', 'stack', 'type'].sort());
    }

    proxy.restore();
    let ready = 503;
    for (let tries = 0; tries < 50 && ready !== 200; tries++) {
      ready = (await t.app.fetch('http://localhost:4000/readyz')).status;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(ready).toBe(200);
    expect((await graphql(t.app, ME, { token })).status).toBe(200);
  });
});
