import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Plugin } from 'graphql-yoga';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built web app (`web/dist`) on the API's origin, so its cookies are first-party.
 * Paths without a file extension get `index.html`, letting the app route on the client.
 * Without a build the server is API-only.
 */
export function useWebApp(distDir: string, graphqlEndpoint: string): Plugin {
  const root = normalize(distDir);
  const enabled = existsSync(join(root, 'index.html'));
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (!enabled || (request.method !== 'GET' && request.method !== 'HEAD')) return;
      if (url.pathname === graphqlEndpoint || url.pathname.startsWith(`${graphqlEndpoint}/`)) return;
      let pathname: string;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        return endResponse(new fetchAPI.Response('Bad request', { status: 400 }));
      }
      const wantsFile = extname(pathname) !== '';
      const file = normalize(join(root, wantsFile ? pathname : 'index.html'));
      // Never serve anything outside the build directory, whatever the path says.
      if (!file.startsWith(root + sep)) return endResponse(new fetchAPI.Response('Not found', { status: 404 }));
      let body: Buffer;
      try {
        body = await readFile(file);
      } catch {
        return endResponse(new fetchAPI.Response('Not found', { status: 404 }));
      }
      const hashedAsset = file.startsWith(join(root, 'assets') + sep);
      return endResponse(
        new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
          headers: {
            'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
            'cache-control': hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
            'x-content-type-options': 'nosniff',
          },
        }),
      );
    },
  };
}
