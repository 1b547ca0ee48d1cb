import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectPage, newAccount, openProfile, screenshot, sessionCookies, signUpInPage, type Account, type BrowserProfile } from './support/browser.ts';
import type { E2eServer } from './support/e2e-server.ts';
import { serveAppToChromium } from './support/suite.ts';

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

/** Opens the headers editor under the query and replaces what it holds with `text`. */
async function writeHeaders(page: Page, text: string): Promise<void> {
  await page.locator('.graphiql-editor-tools').getByRole('button', { name: 'Headers', exact: true }).click();
  const editor = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor').first();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** The lines of the query editor as it shows them (the editor draws spaces as U+00A0). */
async function editorLines(page: Page): Promise<string[]> {
  const lines = await page.locator('.graphiql-query-editor .view-line').allTextContents();
  return lines.map((line) => line.replaceAll('\u00a0', ' '));
}

/** Everything GraphiQL keeps in this origin's localStorage, by key. */
function graphiqlStorage(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => Object.fromEntries(Object.entries(localStorage).filter(([key]) => key.startsWith('graphiql:'))));
}

/** Logs in as a program would (bearer tokens), for tokens to paste into GraphiQL. */
async function bearerTokens(server: E2eServer, account: { email: string; password: string }) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation ($input: LoginInput!) { login(input: $input, transport: BEARER) { accessToken refreshToken } }',
      variables: { input: { email: account.email, password: account.password } },
    }),
  });
  const body = (await response.json()) as { data: { login: { accessToken: string; refreshToken: string } } };
  return body.data.login;
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
  serveAppToChromium((started) => ({ server, browser } = started));

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

  /** A GraphiQL tab of `profile` that ran a document holding a refresh token, with a bearer access token in its headers. */
  const graphiqlWithTokens = async (profile: BrowserProfile, account: Account) => {
    const { accessToken, refreshToken } = await bearerTokens(server, account);
    const page = await profile.newTab();
    await page.goto('/graphql');
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    await writeHeaders(page, JSON.stringify({ Authorization: `Bearer ${accessToken}` }));
    await writeQuery(page, `mutation { refresh(refreshToken: "${refreshToken}") { accessTokenExpiresAt } }`);
    expect(await run(page)).toContain('"accessTokenExpiresAt"');
    // GraphiQL saves its tabs (the document, and the headers unless told not to) after a short pause.
    await expect.poll(async () => (await graphiqlStorage(page))['graphiql:tabState']).toContain(refreshToken);
    return { page, accessToken, refreshToken };
  };

  it('keeps no token: headers are not stored, documents stay out of the address bar, and the app’s logout clears every graphiql:* key', async () => {
    const profile = await openProfile(browser, server);
    const app = await profile.newTab();
    const account = newAccount();
    await signUpInPage(app, account);
    const { page, accessToken, refreshToken } = await graphiqlWithTokens(profile, account);

    expect(JSON.stringify(await graphiqlStorage(page)), 'the Authorization header is not stored').not.toContain(accessToken);
    expect(page.url(), 'the document is not copied into the address').not.toContain(refreshToken);
    expect(new URL(page.url()).searchParams.has('query')).toBe(false);
    await page.close();

    await app.getByRole('button', { name: 'Log out' }).click();
    await expectPage(app, 'login');
    await expect.poll(() => graphiqlStorage(app)).toEqual({});
    await profile.context.close();
  });

  it('a GraphiQL tab left open when the app logs out forgets its documents and writes none back', async () => {
    const profile = await openProfile(browser, server);
    const app = await profile.newTab();
    const account = newAccount();
    await signUpInPage(app, account);
    const { page, refreshToken } = await graphiqlWithTokens(profile, account);

    // Marks this document, to tell when the tab has loaded another.
    await page.evaluate(() => document.documentElement.setAttribute('data-before-logout', ''));
    await app.getByRole('button', { name: 'Log out' }).click();
    await expectPage(app, 'login');
    // The tab reloads, and what the old page had pending was never written.
    await page.locator('html:not([data-before-logout]) .graphiql-query-editor .monaco-editor').first().waitFor();
    await expect.poll(async () => (await editorLines(page)).length).toBeGreaterThan(0);
    expect((await editorLines(page)).join('\n')).not.toContain(refreshToken);
    expect(JSON.stringify(await graphiqlStorage(page))).not.toContain(refreshToken);
    await profile.context.close();
  });

  it('shows a mutation that came with a link commented out, so Run cannot execute it as the visitor; a query from a link loads as it is', async () => {
    const profile = await openProfile(browser, server);
    const app = await profile.newTab();
    const account = newAccount();
    await signUpInPage(app, account);

    const page = await profile.newTab();
    await page.goto(`/graphql?query=${encodeURIComponent('mutation { updateProfile(name: "Mallory") { name } }')}`);
    await page.locator('.graphiql-query-editor .monaco-editor').first().waitFor();
    await expect.poll(async () => (await editorLines(page)).join('\n')).toContain('updateProfile(name: "Mallory")');
    const lines = await editorLines(page);
    expect(lines.filter((line) => line.includes('updateProfile')).every((line) => line.trimStart().startsWith('#')), lines.join('\n')).toBe(true);
    await page.getByRole('button', { name: /Execute query/ }).click();

    await writeQuery(page, 'query { me { name } }');
    expect(await run(page)).toContain(`"name": "${account.name}"`);
    expect(server.requests.filter((entry) => entry.document.includes('updateProfile'))).toEqual([]);

    await page.goto(`/graphql?query=${encodeURIComponent('query Linked { me { email } }')}`);
    await expect.poll(async () => (await editorLines(page)).join('\n')).toContain('query Linked { me { email } }');
    expect(await run(page)).toContain(`"email": "${account.email}"`);
    await profile.context.close();
  });
});
