import type { Plugin } from 'graphql-yoga';

/**
 * Every GraphQL answer is private (a user's profile, sessions, tokens) or an error about them:
 * `Cache-Control: no-store` keeps it out of the browser's disk cache and any shared cache, GET
 * queries included. `Vary` names what the answer depends on, for caches that look at it anyway.
 * GraphiQL's page (HTML, the same for everyone) is left to its own caching.
 */
export function useNoStoreForGraphQL(graphqlEndpoint: string): Plugin {
  return {
    onResponse({ request, response }) {
      if (new URL(request.url).pathname !== graphqlEndpoint) return;
      if (response.headers.get('content-type')?.startsWith('text/html')) return;
      response.headers.set('cache-control', 'no-store');
      for (const header of ['Authorization', 'Cookie']) {
        const vary = response.headers.get('vary');
        const listed = vary?.split(',').some((name) => name.trim().toLowerCase() === header.toLowerCase());
        if (!listed) response.headers.set('vary', vary ? `${vary}, ${header}` : header);
      }
    },
  };
}
