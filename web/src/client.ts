import { createAuthClient, webTokenStorage } from './auth/index.ts';

/**
 * The app's GraphQL client and its session. Tokens travel as HttpOnly cookies, so the page never
 * touches them; the auth exchange refreshes them (once, for every tab) and sends the CSRF header
 * on every request, GET queries included. Only expiry times and the user's id go to localStorage, so a
 * reload still refreshes before the access token expires. The app calls this once, in its
 * `SessionProvider` (`web/src/session.ts`): a client opens a channel to the other tabs and reads
 * storage, which nothing should do at import.
 */
export function createAppClient() {
  return createAuthClient({
    url: '/graphql',
    transport: 'cookie',
    ...(typeof localStorage === 'object' ? { storage: webTokenStorage(localStorage) } : {}),
  });
}
