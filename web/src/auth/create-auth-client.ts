import { cacheExchange, Client, fetchExchange, type ClientOptions, type Exchange } from '@urql/core';
import { authRefreshExchange, type Auth, type AuthRefreshOptions } from './auth-exchange.ts';

export interface AuthClientOptions extends AuthRefreshOptions {
  /** The GraphQL endpoint, e.g. `/graphql` in the web app or `https://auth.example.com/graphql`. */
  url: string;
  /** A `fetch` of your own (a cookie jar, a proxy agent, instrumentation). */
  fetch?: typeof fetch;
  /** Extra fetch options; the exchange adds its headers and `credentials` on top. */
  fetchOptions?: ClientOptions['fetchOptions'];
  /** urql sends queries as GET by default (`within-url-limit`); the CSRF header goes with GET too. */
  preferGetMethod?: ClientOptions['preferGetMethod'];
  requestPolicy?: ClientOptions['requestPolicy'];
  /** Exchanges in front of the auth exchange; `[cacheExchange]` by default. `fetchExchange` always comes last. */
  exchanges?: Exchange[];
}

/**
 * An urql `Client` with the auth exchange in place, and the handle to its session.
 *
 * @example Browser (cookie transport)
 * ```ts
 * const { client, auth } = createAuthClient({ url: '/graphql', transport: 'cookie', storage: webTokenStorage(localStorage) });
 * ```
 *
 * @example Node program (bearer transport)
 * ```ts
 * const { client, auth } = createAuthClient({ url: 'https://auth.example.com/graphql', transport: 'bearer' });
 * const login = await client.mutation(Login, { input, transport: 'BEARER' }).toPromise();
 * await auth.setSession(login.data!.login);
 * const me = await client.query(Me, {}).toPromise(); // refreshes by itself when the token expires
 * ```
 */
export function createAuthClient(options: AuthClientOptions): { client: Client; auth: Auth } {
  const { url, fetch, fetchOptions, preferGetMethod, requestPolicy, exchanges = [cacheExchange], ...authOptions } = options;
  const { exchange, auth } = authRefreshExchange(authOptions);
  const client = new Client({
    url,
    ...(fetch ? { fetch } : {}),
    ...(fetchOptions ? { fetchOptions } : {}),
    ...(preferGetMethod !== undefined ? { preferGetMethod } : {}),
    ...(requestPolicy ? { requestPolicy } : {}),
    exchanges: [...exchanges, exchange, fetchExchange],
  });
  return { client, auth };
}
