import { Client, cacheExchange, fetchExchange } from 'urql';

/**
 * The app's GraphQL client. Tokens travel as HttpOnly cookies, so the page never touches them;
 * the CSRF header marks every request (including GET queries) as coming from this app.
 */
export const client = new Client({
  url: '/graphql',
  exchanges: [cacheExchange, fetchExchange],
  fetchOptions: () => ({ credentials: 'same-origin', headers: { 'x-graphql-yoga-csrf': '1' } }),
});
