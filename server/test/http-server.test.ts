import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveTestApp, type ServedTestApp } from '@graphql-auth/test-kit/test-app';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import type { GraphQLErrorBody } from '@graphql-auth/test-kit/graphql-request';
import { ME, newAccount, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';

interface GraphQLBody<TData> {
  data?: TData | null;
  errors?: GraphQLErrorBody[];
}

/** The `<script>` elements of an HTML page: each opening tag and its inline body. */
function scriptElements(html: string): { tag: string; body: string }[] {
  return [...html.matchAll(/(<script\b[^>]*>)([\s\S]*?)<\/script\s*>/gi)].map((match) => ({ tag: match[1] ?? '', body: match[2] ?? '' }));
}

/** Every `src=` and `href=` attribute value of the `<script>` and `<link>` tags in an HTML page. */
function assetReferences(html: string): string[] {
  // Inline script bodies are JavaScript, not markup: a string in them that looks like a tag is not one.
  const markup = html.replace(/(<script\b[^>]*>)[\s\S]*?<\/script\s*>/gi, '$1</script>');
  const references: string[] = [];
  for (const tag of markup.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    for (const attribute of tag[0].matchAll(/\b(?:src|href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi)) {
      references.push((attribute[1] ?? attribute[2] ?? attribute[3] ?? '').trim());
    }
  }
  return references;
}

describe('the app served over a real HTTP port', () => {
  let t: ServedTestApp;
  let base: string;

  beforeAll(async () => {
    t = await serveTestApp();
    base = t.origin;
  });

  afterAll(() => t.close());

  async function post<TData>(query: string, { variables, headers = {} }: { variables?: Record<string, unknown>; headers?: Record<string, string> } = {}) {
    const response = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as GraphQLBody<TData>;
    return { response, body };
  }

  it('signs up with cookie transport and answers me with the returned cookies', async () => {
    const account = newAccount();
    const jar = createCookieJar();
    const signup = await post<{ signup: AuthPayloadData }>(SIGNUP, { variables: { input: account } });
    expect(signup.response.status).toBe(200);
    expect(signup.body.errors).toBeUndefined();
    expect(signup.body.data?.signup.accessToken).toBeNull();
    jar.store(signup.response);
    expect(jar.names().sort()).toEqual(['access-token', 'device', 'refresh-token']);

    const me = await post<{ me: { id: string; email: string; name: string } }>(ME, { headers: { cookie: jar.header() } });
    expect(me.response.status).toBe(200);
    expect(me.body.errors).toBeUndefined();
    expect(me.body.data?.me).toMatchObject({ id: signup.body.data?.signup.user.id, email: account.email, name: account.name });
  });

  it('answers me without credentials with 401 and reason TOKEN_MISSING', async () => {
    const me = await post(ME);
    expect(me.response.status).toBe(401);
    expect(me.body.data ?? null).toBeNull();
    expect(me.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'TOKEN_MISSING' });
  });

  it('answers /healthz with 200 and status ok', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz with 200 while the database answers', async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  it('lists the public signing keys at /.well-known/jwks.json with kid, alg and use, and never a private part', async () => {
    const response = await fetch(`${base}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const text = await response.text();
    const jwks = JSON.parse(text) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
    for (const key of jwks.keys) {
      expect(typeof key.kid).toBe('string');
      expect(key.kid).not.toBe('');
      expect(['EdDSA', 'ES256']).toContain(key.alg);
      expect(key.use).toBe('sig');
      expect(key).not.toHaveProperty('d');
    }
    expect(text).not.toMatch(/"d"\s*:/);
  });

  it('serves GraphiQL at GET /graphql to a browser, its editor inline and nothing from another origin', async () => {
    const response = await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const html = await response.text();
    expect(html).toMatch(/graphiql/i);
    const scripts = scriptElements(html);
    expect(scripts.length).toBeGreaterThan(0);
    // The editor ships in the page itself: some script carries the code inline.
    expect(scripts.some((script) => !/\bsrc\s*=/i.test(script.tag) && script.body.trim().length > 10_000)).toBe(true);

    const external = assetReferences(html).filter((reference) => /^(?:https?:)?\/\//i.test(reference));
    expect(external, 'GraphiQL must not load assets from another origin (no network here, and no CDN trust)').toEqual([]);
  });

  it('gives every response an x-request-id header', async () => {
    const responses = [
      await fetch(`${base}/healthz`),
      await fetch(`${base}/readyz`),
      await fetch(`${base}/.well-known/jwks.json`),
      await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } }),
      (await post(ME)).response,
      (await post('{ __typename }')).response,
      await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' }),
      await fetch(`${base}/no-such-page`),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 401, 200, 400, 404]);
    const ids = responses.map((response) => response.headers.get('x-request-id'));
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('echoes a well-formed incoming x-request-id and replaces a malformed one', async () => {
    const echoed = await post('{ __typename }', { headers: { 'x-request-id': 'proxy-42.abc_DEF' } });
    expect(echoed.response.headers.get('x-request-id')).toBe('proxy-42.abc_DEF');

    const health = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'lb-7' } });
    expect(health.headers.get('x-request-id')).toBe('lb-7');

    const malformed = await fetch(`${base}/healthz`, { headers: { 'x-request-id': 'has spaces; and <junk>' } });
    const replaced = malformed.headers.get('x-request-id');
    expect(replaced).toBeTruthy();
    expect(replaced).not.toBe('has spaces; and <junk>');
    expect(replaced).toMatch(/^[A-Za-z0-9._-]{1,64}$/);
  });
});
