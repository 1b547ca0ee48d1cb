import type { IncomingMessage } from 'node:http';
import { defineConfig, type ProxyOptions } from 'vite';
import react from '@vitejs/plugin-react';

/** Where `npm start` (or `npm start -w server`) serves the API in development. */
const API_ORIGIN = process.env.API_ORIGIN ?? 'http://localhost:4000';

/** True for a request from a page the dev server itself served (its Origin names the dev server's host). */
function fromDevServerPage(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin || !request.headers.host) return false;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * Forwards to the API, so the app and `/graphql` share the dev server's origin and cookies stay
 * first-party. The API accepts cookie requests only from its own allowed origins, so requests from
 * the dev server's own pages are presented as coming from the API's origin; any other Origin (another
 * site, say) passes unchanged and is refused as it would be in production.
 */
const toApi: ProxyOptions = {
  target: API_ORIGIN,
  configure(proxy) {
    proxy.on('proxyReq', (proxyRequest, request) => {
      if (fromDevServerPage(request)) proxyRequest.setHeader('origin', API_ORIGIN);
    });
  },
};

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { '/graphql': toApi, '/.well-known': toApi },
  },
});
