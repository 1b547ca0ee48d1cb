import type { AnyVariables, Client, OperationResult, OperationResultSource } from '@urql/core';
import { vi } from 'vitest';
import { createTestClock } from '@graphql-auth/test-kit/clock';
import { createCookieJar, type CookieJar } from '@graphql-auth/test-kit/cookie-jar';
import { LOGIN, newAccount, SIGNUP, type Account, type AuthPayloadData } from '@graphql-auth/test-kit/operations';
import type { Auth } from '../auth-exchange.ts';
import { createAuthClient, type AuthClientOptions } from '../create-auth-client.ts';
import type { AuthTestServer } from './auth-test-server.ts';

/**
 * The cookie store of a browser on `server`'s site, on the server's clock (tokens the server
 * issues after its clock moved are not already expired for it). It sends what it holds until a
 * response expires it, so the server is the one that answers TOKEN_EXPIRED.
 */
export function browserJar(server: AuthTestServer): CookieJar {
  return createCookieJar({ url: server.url, now: server.clock.now });
}

/**
 * A browser's `fetch`, reduced to what these tests need: it sends the jar's cookies and the page's
 * Origin, and keeps the cookies responses set. Two clients sharing one jar are two tabs.
 */
export function browserFetch(jar: CookieJar, origin: string): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    const cookie = jar.header();
    if (cookie) headers.set('cookie', cookie);
    headers.set('origin', origin);
    const response = await fetch(input, { ...init, headers });
    jar.store(response);
    return response;
  };
}

export interface TestClient {
  client: Client;
  auth: Auth;
  jar: CookieJar;
}

/**
 * A cookie-transport client of `server` (a tab), with its own jar unless given one. Its clock stands
 * still unless the options pass another, so it never refreshes early: the server's 401 decides.
 */
export function cookieClient(server: AuthTestServer, options: Partial<AuthClientOptions> & { jar?: CookieJar } = {}): TestClient {
  const { jar = browserJar(server), ...rest } = options;
  const { client, auth } = createAuthClient({
    url: server.url,
    transport: 'cookie',
    fetch: browserFetch(jar, server.config.publicOrigin),
    now: createTestClock({ start: server.clock.now() }).now,
    requestPolicy: 'network-only',
    ...rest,
  });
  return { client, auth, jar };
}

export type { Account };

/** Signs an account up through the client and hands the payload to `auth`. */
export async function signUp(
  client: Client,
  auth: Auth,
  { transport = 'COOKIE', account = newAccount() }: { transport?: 'COOKIE' | 'BEARER'; account?: Account } = {},
): Promise<{ payload: AuthPayloadData; account: Account }> {
  const result = await client.mutation<{ signup: AuthPayloadData }>(SIGNUP, { input: account, transport }).toPromise();
  if (!result.data) throw new Error(`signup failed: ${result.error?.message}`);
  await auth.setSession(result.data.signup);
  return { payload: result.data.signup, account };
}

/** Logs in (as another device) with plain fetch and bearer transport; returns the tokens. */
export async function loginElsewhere(server: AuthTestServer, account: Account): Promise<AuthPayloadData> {
  const body = await rawGraphQL<{ login: AuthPayloadData }>(server, LOGIN, { input: { email: account.email, password: account.password }, transport: 'BEARER' });
  return body.login;
}

/** One POST with plain fetch (no jar), as another program would send it. */
export async function rawGraphQL<Data>(server: AuthTestServer, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<Data> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-graphql-yoga-csrf': '1', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Data; errors?: { message: string }[] };
  if (!body.data) throw new Error(`request failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** Every result an operation delivers, until `stop()`. */
export function collect<Data, Variables extends AnyVariables>(source: OperationResultSource<OperationResult<Data, Variables>>) {
  const results: OperationResult<Data, Variables>[] = [];
  const subscription = source.subscribe((result) => void results.push(result));
  return {
    results,
    /** Waits until at least `count` results arrived. */
    async settled(count = 1): Promise<OperationResult<Data, Variables>> {
      await vi.waitFor(() => {
        if (results.length < count) throw new Error(`waiting for ${count} result(s), have ${results.length}`);
      }, { timeout: 10_000, interval: 5 });
      return results[count - 1]!;
    },
    stop: () => subscription.unsubscribe(),
  };
}

/** Lets in-flight work (responses, timers of 0 ms) run, so a test can check that nothing else happens. */
export const quiet = (ms = 150) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `n` distinct `me` queries (distinct documents, so urql does not deduplicate them). */
export const meQueries = (n: number, prefix = 'Me') =>
  Array.from({ length: n }, (_, index) => `query ${prefix}${index} { me { id email } }`);

/** Moves the server's clock past the access token's lifetime and the 5 s clock-skew allowance. */
export const expireAccessToken = (server: AuthTestServer) => server.clock.advance(server.config.accessTokenTtlMs + 6_000);
