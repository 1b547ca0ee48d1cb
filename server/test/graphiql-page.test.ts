import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';

const ORIGIN = 'http://localhost:4000';

describe("GraphiQL's page and the caching of /graphql answers", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('loads the guard script from this origin before GraphiQL, and tells GraphiQL not to persist headers', async () => {
    const response = await t.app.fetch(`${ORIGIN}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/gi)].map((match) => match[0]);
    expect(scripts[0]).toBe('<script src="/graphql/graphiql-guard.js">');
    expect(scripts.slice(1).every((tag) => !/\bsrc\s*=/i.test(tag)), 'the rest is yoga’s inline GraphiQL').toBe(true);
    expect(html).toContain('"shouldPersistHeaders":false');

    const guard = await t.app.fetch(`${ORIGIN}/graphql/graphiql-guard.js`);
    expect(guard.status).toBe(200);
    expect(guard.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(guard.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await guard.text()).toContain('history[method]');
  });

  it('answers every GraphQL request with Cache-Control: no-store and Vary on the credentials; GraphiQL’s page and other routes keep their own', async () => {
    const query = encodeURIComponent('{ __typename }');
    const responses = [
      await t.app.fetch(`${ORIGIN}/graphql?query=${query}`, { headers: { 'x-graphql-yoga-csrf': '1' } }),
      await t.app.fetch(`${ORIGIN}/graphql?query=${query}`),
      await t.app.fetch(`${ORIGIN}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ me { id } }' }),
      }),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 403, 401]);
    for (const response of responses) {
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('vary')).toMatch(/\bAuthorization\b.*\bCookie\b/);
    }
    const page = await t.app.fetch(`${ORIGIN}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('cache-control')).not.toBe('no-store');
    expect((await t.app.fetch(`${ORIGIN}/.well-known/jwks.json`)).headers.get('cache-control')).toBe('public, max-age=300');
  });
});

describe('without introspection', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ GRAPHQL_INTROSPECTION: 'false' });
  });
  afterAll(() => t.close());

  it('serves neither GraphiQL nor its guard script', async () => {
    const page = await t.app.fetch(`${ORIGIN}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('graphiql-guard.js');
    expect((await t.app.fetch(`${ORIGIN}/graphql/graphiql-guard.js`)).status).toBe(404);
  });
});
