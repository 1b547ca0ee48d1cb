import type { Plugin } from 'graphql-yoga';

/**
 * Cookies ride along with any request the browser makes, so a request carrying our cookies must
 * come from an allowed origin. Programs without cookies (bearer tokens) are not affected, and
 * same-origin browser requests name an allowed origin.
 */
export function useOriginCheck({ allowedOrigins, cookieNames }: { allowedOrigins: string[]; cookieNames: string[] }): Plugin {
  const allowed = new Set(allowedOrigins);
  const carriesOurCookie = (cookieHeader: string) =>
    cookieHeader.split(';').some((pair) => cookieNames.includes(pair.split('=')[0]!.trim()));
  return {
    onRequest({ request, endResponse, fetchAPI }) {
      const origin = request.headers.get('origin');
      if (origin === null || allowed.has(origin)) return;
      if (!carriesOurCookie(request.headers.get('cookie') ?? '')) return;
      endResponse(
        fetchAPI.Response.json(
          { errors: [{ message: `Requests with session cookies are not accepted from ${origin}.`, extensions: { code: 'FORBIDDEN' } }] },
          { status: 403 },
        ),
      );
    },
  };
}
