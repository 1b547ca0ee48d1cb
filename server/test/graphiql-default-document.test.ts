import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHIQL_DEFAULT_DOCUMENT } from '../src/http/graphiql-default-document.ts';
import { createCookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';

describe("GraphiQL's default document", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  async function run(operationName: string, jar: ReturnType<typeof createCookieJar>) {
    const response = await t.app.fetch('http://localhost:4000/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': 'graphiql', ...(jar.header() && { cookie: jar.header() }) },
      body: JSON.stringify({ query: GRAPHIQL_DEFAULT_DOCUMENT, operationName }),
    });
    jar.store(response);
    return (await response.json()) as { data?: Record<string, { email?: string; user?: { email: string } }>; errors?: unknown[] };
  }

  it('is in the page GraphiQL serves', async () => {
    const page = await (await t.app.fetch('http://localhost:4000/graphql', { headers: { accept: 'text/html' } })).text();
    expect(page).toContain(JSON.stringify(GRAPHIQL_DEFAULT_DOCUMENT).slice(1, -1));
  });

  it('signs up, then answers Me through the cookies; in a new page Login then Me', async () => {
    const first = createCookieJar();
    const signup = await run('Signup', first);
    expect(signup.errors).toBeUndefined();
    expect((await run('Me', first)).data?.me?.email).toBe('ada@example.com');

    const second = createCookieJar();
    expect((await run('Signup', second)).errors).toBeDefined();
    expect((await run('Login', second)).data?.login?.user?.email).toBe('ada@example.com');
    expect((await run('Me', second)).data?.me?.email).toBe('ada@example.com');
  });
});
