import { readFile } from 'node:fs/promises';
import type { GraphiQLOptions, Plugin } from 'graphql-yoga';

/** The script GraphiQL's page loads before GraphiQL: a file of its own, so a strict CSP can allow it by source. */
export const GRAPHIQL_GUARD_PATH = '/graphql/graphiql-guard.js';

const GUARD_SCRIPT = new URL('./graphiql-guard-script.js', import.meta.url);

/**
 * yoga's GraphiQL page with the guard script (graphiql-guard-script.js) in its head. The bundled
 * GraphiQL weighs about 45 MB in memory, so it is loaded when a browser first asks for it.
 */
export async function renderGuardedGraphiQL(options: GraphiQLOptions): Promise<string> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const page = renderGraphiQL(options);
  if (!page.includes('<head>')) throw new Error('GraphiQL page without <head>: the guard script has nowhere to go.');
  return page.replace('<head>', `<head>\n<script src="${GRAPHIQL_GUARD_PATH}"></script>`);
}

/** Serves the guard script at {@link GRAPHIQL_GUARD_PATH}. */
export function useGraphiQLGuard(): Plugin {
  let script: Promise<Buffer> | undefined;
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== GRAPHIQL_GUARD_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      script ??= readFile(GUARD_SCRIPT);
      const body = await script;
      endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
          headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
        }),
      );
    },
  };
}
