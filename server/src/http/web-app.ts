import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { Plugin } from 'graphql-yoga';
import { createCompressionCache, isCompressible, preferredEncoding } from './compression.ts';
import { TOKEN_PAGE_PATHS, WEB_APP_CONTENT_SECURITY_POLICY } from './security-headers.ts';

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
 * Without a build the server is API-only. Text goes out compressed (brotli or gzip, once per file
 * version); hashed assets may be cached for a year, everything else is revalidated.
 */
export function useWebApp(distDir: string, graphqlEndpoint: string): Plugin {
  const root = normalize(distDir);
  const enabled = existsSync(join(root, 'index.html'));
  const compressed = createCompressionCache();
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
      let body: Uint8Array<ArrayBuffer>;
      let modified: number;
      try {
        [body, modified] = await Promise.all([readFile(file).then((buffer) => new Uint8Array(buffer)), stat(file).then((info) => info.mtimeMs)]);
      } catch {
        return endResponse(new fetchAPI.Response('Not found', { status: 404 }));
      }
      const hashedAsset = file.startsWith(join(root, 'assets') + sep);
      const contentType = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
      const headers: Record<string, string> = {
        'content-type': contentType,
        'cache-control': hashedAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
        'content-security-policy': WEB_APP_CONTENT_SECURITY_POLICY,
        // Pages whose address carries a token send no Referer at all.
        'referrer-policy': TOKEN_PAGE_PATHS.includes(pathname) ? 'no-referrer' : 'strict-origin-when-cross-origin',
      };
      const encoding = isCompressible(contentType) ? preferredEncoding(request.headers.get('accept-encoding')) : undefined;
      if (isCompressible(contentType)) headers.vary = 'Accept-Encoding';
      if (encoding) {
        headers['content-encoding'] = encoding;
        body = await compressed(`${file}:${modified}`, body, encoding);
      }
      return endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : body, { headers }));
    },
  };
}
