import type { Plugin } from 'graphql-yoga';
import { createCompressionCache, preferredEncoding } from './compression.ts';
import { graphiqlContentSecurityPolicy } from './security-headers.ts';

/**
 * GraphiQL's page (about 9 MB, one inline script) gets a Content-Security-Policy allowing exactly
 * its inline scripts, and goes out compressed. The page is the same for every request, so its
 * policy and compressed forms are computed once.
 */
export function useGraphiQLPage(graphqlEndpoint: string): Plugin {
  let page: { html: string; body: Uint8Array<ArrayBuffer>; policy: string; compressed: ReturnType<typeof createCompressionCache> } | undefined;
  return {
    async onResponse({ request, response, setResponse, fetchAPI }) {
      if (request.method !== 'GET' || !response.headers.get('content-type')?.startsWith('text/html')) return;
      if (new URL(request.url).pathname !== graphqlEndpoint) return;
      const html = await response.text();
      if (page?.html !== html) {
        page = { html, body: new TextEncoder().encode(html), policy: graphiqlContentSecurityPolicy(html), compressed: createCompressionCache() };
      }
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-security-policy', page.policy);
      headers.set('cache-control', 'no-cache');
      headers.append('vary', 'Accept-Encoding');
      const encoding = preferredEncoding(request.headers.get('accept-encoding'));
      headers.delete('content-length');
      if (encoding) headers.set('content-encoding', encoding);
      const body = encoding ? await page.compressed('graphiql', page.body, encoding) : page.body;
      setResponse(new fetchAPI.Response(body, { status: response.status, headers }));
    },
  };
}
