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
  // GraphiQL re-reads the document after a pause; until then the Execute button still offers the
  // operations of the previous one (the default document's three), so wait for the tab's new name.
  const operationName = /^\s*(?:query|mutation)\s+(\w+)/.exec(text)?.[1] ?? '<untitled>';
  await expect.poll(() => page.locator('.graphiql-tab-active').first().textContent()).toBe(operationName);
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

  it('opens with a default document whose Signup, then Me, run from the Execute menu', async () => {
    const profile = await openProfile(browser, server);
    const page = await profile.newTab();
    await page.goto('/graphql');
    const editor = page.locator('.graphiql-query-editor .view-lines').first();
    await expect.poll(async () => ((await editor.textContent()) ?? '').replaceAll('\u00a0', ' ')).toMatch(/mutation Signup[\s\S]*mutation Login[\s\S]*query Me/);

    const runNamed = async (operationName: string) => {
      // Mutations go out as POST, queries as GET: either way the operation's name is in the request.
      const response = page.waitForResponse((answer) => {
        const request = answer.request();
        return new URL(answer.url()).pathname === '/graphql' && `${request.url()} ${request.postData() ?? ''}`.includes(operationName);
      });
      await page.getByRole('button', { name: /Execute query/ }).click();
      await page.getByRole('menuitem', { name: operationName }).click();
      await (await response).finished();
      const result = page.locator('.graphiql-response');
      await expect.poll(async () => ((await result.textContent()) ?? '').replaceAll('\u00a0', ' ')).toMatch(new RegExp(`"${operationName === 'Me' ? 'me' : 'signup'}"`));
      return ((await result.textContent()) ?? '').replaceAll('\u00a0', ' ');
    };
    const signup = await runNamed('Signup');
    expect(signup).toContain('"email": "ada@example.com"');
    expect(signup).not.toContain('"errors"');
    const me = await runNamed('Me');
    expect(me).toContain('"name": "Ada"');
    expect(me).not.toContain('"errors"');
    await profile.context.close();
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
