import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newAccount, openProfile, screenshot, sessionCookies } from './support/browser.ts';
import { startE2eServer, type E2eServer } from './support/e2e-server.ts';

/** Replaces what the query editor holds with `text`, as someone typing it would. */
async function writeQuery(page: Page, text: string): Promise<void> {
  const editor = page.locator('.graphiql-query-editor .monaco-editor').first();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText types without the editor's auto-closing of brackets and quotes.
  await page.keyboard.insertText(text);
}

/** Runs the editor's operation and returns the response panel's text (the editor draws spaces as U+00A0). */
async function run(page: Page): Promise<string> {
  const response = page.waitForResponse((answer) => answer.url().endsWith('/graphql') && answer.request().method() === 'POST');
  await page.getByRole('button', { name: /Execute query/ }).click();
  await (await response).finished();
  const result = page.locator('.graphiql-response');
  const text = async () => ((await result.textContent()) ?? '').replaceAll('\u00a0', ' ');
  await expect.poll(text, { timeout: 10_000 }).toMatch(/"(data|errors)"/);
  return text();
}

describe('GraphiQL at /graphql', () => {
  let server: E2eServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('logs in, then `me` works in the same page through the cookies; every request carries the CSRF header and nothing comes from the internet', async () => {
    const account = newAccount();
    const signup = await fetch(server.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation ($input: SignupInput!) { signup(input: $input, transport: BEARER) { user { id } } }',
        variables: { input: account },
      }),
    });
    expect(signup.status).toBe(200);

    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    const assets: string[] = [];
    page.on('request', (request) => assets.push(request.url()));
    await page.goto('/graphql');
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    const requestsBefore = server.requests.length;

    await writeQuery(page, `mutation { login(input: { email: "${account.email}", password: "${account.password}" }) { user { email name } accessTokenExpiresAt } }`);
    const login = await run(page);
    expect(login).toContain(`"email": "${account.email}"`);
    expect(login).not.toContain('"errors"');
    expect(await sessionCookies(profile.context)).toHaveLength(2);

    await writeQuery(page, 'query { me { email name } }');
    const me = await run(page);
    expect(me).toContain(`"email": "${account.email}"`);
    expect(me).toContain(`"name": "${account.name}"`);
    expect(me).not.toContain('"errors"');
    await screenshot(page, 'graphiql');

    const typed = server.requests.slice(requestsBefore).filter((entry) => entry.operationName !== 'IntrospectionQuery');
    const [loginRequest, meRequest, ...others] = typed;
    expect(others).toEqual([]);
    expect(loginRequest).toMatchObject({ method: 'POST', status: 200, csrfHeader: true, origin: server.origin });
    expect(loginRequest?.document).toMatch(/^mutation\s*\{\s*login/);
    // GraphiQL sends queries as GET; the CSRF header is what makes the server accept them.
    expect(meRequest).toMatchObject({ status: 200, csrfHeader: true });
    expect(meRequest?.document).toMatch(/^(query)?\s*\{\s*me\s*\{/);
    expect(profile.foreignRequests, 'no asset from another origin').toEqual([]);
    expect(assets.filter((url) => !url.startsWith(server.origin) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
    await profile.context.close();
  });
});
