import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditServer } from 'graphql-http';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { graphql } from '@graphql-auth/test-kit/graphql-request';
import { LOGIN, ME, newAccount, SIGNUP } from '@graphql-auth/test-kit/operations';

const ENDPOINT = 'http://localhost:4000/graphql';

describe('CSRF and origins', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ ALLOWED_ORIGINS: 'http://localhost:4000,https://app.example.com' });
  });
  afterAll(() => t.close());

  async function loggedInJar() {
    const jar = createCookieJar();
    const account = newAccount();
    await graphql(t.app, SIGNUP, { variables: { input: account }, jar });
    return { jar, account };
  }

  it.each([
    ['application/x-www-form-urlencoded', (query: string) => new URLSearchParams({ query }).toString()],
    ['multipart/form-data; boundary=x', (query: string) => `--x\r\nContent-Disposition: form-data; name="query"\r\n\r\n${query}\r\n--x--\r\n`],
    ['text/plain', (query: string) => JSON.stringify({ query })],
  ])('refuses a cross-site form post (%s) of a mutation with 403 and changes nothing', async (contentType, encode) => {
    const { jar } = await loggedInJar();
    const response = await t.app.fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': contentType, cookie: jar.header() },
      body: encode('mutation { updateProfile(name: "Mallory") { name } }'),
    });
    expect(response.status).toBe(403);
    const me = await graphql<{ me: { name: string } }>(t.app, ME, { jar });
    expect(me.data?.me.name).toBe('Test User');
  });

  it('refuses a request carrying session cookies from an origin that is not allowed, even with the CSRF header', async () => {
    const { jar } = await loggedInJar();
    const response = await graphql(t.app, 'mutation { updateProfile(name: "Mallory") { name } }', {
      jar,
      headers: { origin: 'https://evil.example', 'x-graphql-yoga-csrf': '1' },
    });
    expect(response.status).toBe(403);
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await graphql<{ me: { name: string } }>(t.app, ME, { jar })).data?.me.name).toBe('Test User');
  });

  it('accepts cookie requests from the allowed origins, and bearer requests from anywhere', async () => {
    const { jar, account } = await loggedInJar();
    for (const origin of ['http://localhost:4000', 'https://app.example.com']) {
      expect((await graphql(t.app, ME, { jar, headers: { origin } })).status).toBe(200);
    }
    const bearer = await graphql<{ login: { accessToken: string } }>(t.app, LOGIN, {
      variables: { input: { email: account.email, password: account.password }, transport: 'BEARER' },
    });
    const me = await graphql(t.app, ME, { token: bearer.data!.login.accessToken, headers: { origin: 'https://cli.example' } });
    expect(me.status).toBe(200);
  });

  it('answers CORS preflights with credentials only for allowed origins', async () => {
    const preflight = (origin: string) =>
      t.app.fetch(ENDPOINT, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).not.toBe('https://evil.example');
  });

  it('refuses a GET query without the CSRF header and answers it with the header', async () => {
    const { jar } = await loggedInJar();
    const url = `${ENDPOINT}?query=${encodeURIComponent('{ me { id } }')}`;
    expect((await t.app.fetch(url, { headers: { cookie: jar.header() } })).status).toBe(403);
    expect((await t.app.fetch(url, { headers: { cookie: jar.header(), 'x-graphql-yoga-csrf': '1' } })).status).toBe(200);
  });

  it.each([
    ['a GET without the header', { method: 'GET' }, `?query=${encodeURIComponent('{ me { id } }')}`],
    ['a POST without a content type', { method: 'POST', body: JSON.stringify({ query: '{ me { id } }' }) }, ''],
    ['a text/plain POST', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ me { id } }' }) }, ''],
  ])('answers %s with 403 and the code CSRF_HEADER_MISSING, naming the header and the content type to send', async (_, init, query) => {
    const response = await t.app.fetch(`${ENDPOINT}${query}`, init);
    expect(response.status).toBe(403);
    const body = (await response.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]?.extensions).toEqual({ code: 'CSRF_HEADER_MISSING' });
    expect(body.errors[0]?.message).toContain('x-graphql-yoga-csrf');
    expect(body.errors[0]?.message).toContain('application/json');
  });

  it('refuses mutations over GET', async () => {
    const { jar } = await loggedInJar();
    const url = `${ENDPOINT}?query=${encodeURIComponent('mutation { updateProfile(name: "Mallory") { name } }')}`;
    const response = await t.app.fetch(url, { headers: { cookie: jar.header(), 'x-graphql-yoga-csrf': '1' } });
    expect(response.status).toBe(405);
    expect((await graphql<{ me: { name: string } }>(t.app, ME, { jar })).data?.me.name).toBe('Test User');
  });
});

describe('GraphQL limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const codeOf = (response: Awaited<ReturnType<typeof graphql>>) => response.errors?.[0]?.extensions?.code;

  it('allows one auth mutation per request, counting aliases and fragments', async () => {
    const account = newAccount();
    await graphql(t.app, SIGNUP, { variables: { input: account } });
    const input = `input: { email: "${account.email}", password: "guess" }`;
    const aliased = await graphql(t.app, `mutation { a: login(${input}) { user { id } } b: login(${input}) { user { id } } }`);
    expect(codeOf(aliased)).toBe('BAD_USER_INPUT');
    expect(aliased.data ?? null).toBeNull();

    const mixed = await graphql(t.app, `mutation { login(${input}) { user { id } } refresh { user { id } } }`);
    expect(codeOf(mixed)).toBe('BAD_USER_INPUT');

    const fragments = await graphql(
      t.app,
      `mutation { ...A ...B } fragment A on Mutation { login(${input}) { user { id } } } fragment B on Mutation { x: login(${input}) { user { id } } }`,
    );
    expect(codeOf(fragments)).toBe('BAD_USER_INPUT');

    const single = await graphql(t.app, `mutation { login(${input}) { user { id } } logout }`);
    expect(codeOf(single)).toBe('INVALID_CREDENTIALS');
  });

  it('gives documents that do not parse or validate an error code too', async () => {
    expect((await graphql(t.app, '{ me { id ')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await graphql(t.app, '{ me { nope } }')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses batched requests', async () => {
    const response = await t.app.fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(await response.text()).not.toContain('"data"');
  });

  it('refuses queries too deep, with too many aliases, too costly or too long', async () => {
    const deep = `{ __schema { types { fields { type ${'{ ofType '.repeat(14)}{ name }${' }'.repeat(14)} } } } }`;
    const tooDeep = await graphql(t.app, deep);
    expect(tooDeep.errors?.[0]?.message).toMatch(/depth/i);
    expect(tooDeep.errors?.[0]?.extensions?.code).toMatch(/^GRAPHQL_(PARSE|VALIDATION)_FAILED$/);
    const aliases = `{ ${Array.from({ length: 11 }, (_, index) => `a${index}: me { id }`).join(' ')} }`;
    const tooManyAliases = await graphql(t.app, aliases);
    expect(tooManyAliases.errors?.[0]?.message).toMatch(/alias/i);
    expect(tooManyAliases.errors?.[0]?.extensions?.code).toMatch(/^GRAPHQL_(PARSE|VALIDATION)_FAILED$/);
    const tokens = `{ me { ${Array.from({ length: 1001 }, () => 'id').join(' ')} } }`;
    expect((await graphql(t.app, tokens)).errors?.[0]?.message).toMatch(/token/i);
    const costly = `{ ${Array.from({ length: 9 }, (_, index) => `s${index}: sessions { id createdAt lastUsedAt expiresAt userAgent ip current }`).join(' ')} ${Array.from({ length: 40 }, () => 'me { id email name avatarUrl createdAt }').join(' ')} }`;
    expect((await graphql(t.app, costly)).errors?.[0]?.message).toMatch(/cost/i);
  });

  it('still answers the introspection query GraphiQL sends', async () => {
    const { getIntrospectionQuery } = await import('graphql');
    const response = await graphql<{ __schema: { types: unknown[] } }>(t.app, getIntrospectionQuery());
    expect(response.errors).toBeUndefined();
    expect(response.data?.__schema.types.length).toBeGreaterThan(5);
  });

  it('refuses a body over the limit with 413 and a chunked body with 411', async () => {
    const big = JSON.stringify({ query: `{ __typename } # ${'x'.repeat(70_000)}` });
    const tooLarge = await t.app.fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(big.length) },
      body: big,
    });
    expect(tooLarge.status).toBe(413);
    const chunked = await t.app.fetch(ENDPOINT, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(chunked.status).toBe(411);
  });

  it('passes the graphql-http audit of the GraphQL-over-HTTP spec with no errors', async () => {
    const results = await auditServer({
      url: ENDPOINT,
      // A well-behaved client sends the CSRF header; the audit's own GET requests otherwise get 403.
      fetchFn: (input: string | URL | Request, init?: RequestInit) => {
        const headers = new Headers(init?.headers);
        headers.set('x-graphql-yoga-csrf', 'audit');
        const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
        return t.app.fetch(url, { ...init, headers });
      },
    });
    const errors = results.filter((result) => result.status === 'error');
    expect(errors.map((result) => `${result.id} ${result.name}: ${'reason' in result ? result.reason : ''}`)).toEqual([]);
  });
});

describe('introspection in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ NODE_ENV: 'production', PUBLIC_ORIGIN: 'https://auth.example.com', BCRYPT_COST: '10' });
  });
  afterAll(() => t.close());

  it('is off, and GraphiQL with it', async () => {
    const response = await graphql(t.app, '{ __schema { types { name } } }');
    expect(response.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await t.app.fetch(ENDPOINT, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('GraphiQL');
  });
});
