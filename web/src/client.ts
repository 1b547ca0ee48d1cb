import { createAuthClient, webTokenStorage } from './auth/index.ts';
import { forgetGraphiQLState } from './graphiql-storage.ts';

/**
 * The app's GraphQL client and its session. Tokens travel as HttpOnly cookies, so the page never
 * touches them; the auth exchange refreshes them (once, for every tab) and sends the CSRF header
 * on every request, GET queries included. Only expiry times and the user's id go to localStorage,
 * so a reload still refreshes before the access token expires.
 */
export const { client, auth } = createAuthClient({
  url: '/graphql',
  transport: 'cookie',
  ...(typeof localStorage === 'object' ? { storage: webTokenStorage(localStorage) } : {}),
});

// Whenever the session ends (a logout here or in another tab, a revocation), GraphiQL's saved
// documents and history go too.
if (typeof localStorage === 'object') {
  auth.subscribe((state) => {
    if (state.status === 'logged-out') forgetGraphiQLState(localStorage);
  });
}
