import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestClock } from '@graphql-auth/test-kit/clock';
import { LOGIN, newAccount, SIGNUP, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import { createAuthClient } from './create-auth-client.ts';
import { startAuthTestServer, type AuthTestServer } from './test-support/auth-test-server.ts';
import { rawGraphQL } from './test-support/clients.ts';
import { memoryTokenStorage } from './token-storage.ts';

/** An HTTP server that answers every request with `307 Temporary Redirect` to `target`, recording the operations it was sent. */
async function startRedirector(target: string): Promise<{ url: string; operations: string[]; close(): Promise<void> }> {
  const operations: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body: unknown = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
      if (typeof body === 'object' && body !== null && 'operationName' in body && typeof body.operationName === 'string') operations.push(body.operationName);
      // 307 keeps the method and the body: a client that follows it sends the same request to `target`.
      response.writeHead(307, { location: target });
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    operations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('bearer transport and redirects', () => {
  let server: AuthTestServer;
  let redirector: Awaited<ReturnType<typeof startRedirector>>;
  beforeAll(async () => {
    server = await startAuthTestServer();
    // The redirect points at the real server, standing for any host the refresh token must not reach.
    redirector = await startRedirector(server.url);
  });
  afterAll(async () => {
    await redirector.close();
    await server.close();
  });

  it('refuses to follow a redirect with a refresh token, a logout or a password: the request fails, the session stays as it was', async () => {
    const account = newAccount();
    const { signup } = await rawGraphQL<{ signup: AuthPayloadData }>(server, SIGNUP, { input: account, transport: 'BEARER' });
    const clock = createTestClock({ start: server.clock.now() });
    const stored = {
      user: { id: signup.user.id },
      // Expired, so the client's first operation refreshes.
      accessTokenExpiresAt: new Date(clock.now().getTime() - 1000).toISOString(),
      refreshTokenExpiresAt: signup.refreshTokenExpiresAt,
      accessToken: signup.accessToken,
      refreshToken: signup.refreshToken,
    };
    const storage = memoryTokenStorage(stored);
    const { client, auth } = createAuthClient({ url: redirector.url, transport: 'bearer', storage, now: clock.now, requestPolicy: 'network-only' });

    const query = await client.query('query ThroughRedirect { me { id } }', {}).toPromise();
    expect(redirector.operations).toContain('AuthRefresh');
    expect(query.error?.networkError, 'the refresh failed at the redirect').toBeDefined();
    expect(server.count('AuthRefresh'), 'the refresh token never reached the redirect target').toBe(0);
    expect(auth.getState().status, 'a network failure keeps the session').toBe('logged-in');
    expect(await storage.load()).toEqual(stored);

    expect(await auth.logout(), 'a logout the server never confirmed').toBe(false);
    expect(redirector.operations).toContain('AuthLogout');
    expect(server.count('AuthLogout')).toBe(0);
    expect(auth.getState().status).toBe('logged-in');

    const login = await client.mutation(LOGIN, { input: { email: account.email, password: account.password }, transport: 'BEARER' }).toPromise();
    expect(redirector.operations).toContain('Login');
    expect(login.error?.networkError).toBeDefined();
    expect(server.count('Login'), 'the password never reached the redirect target').toBe(0);
    auth.dispose();
  });
});
