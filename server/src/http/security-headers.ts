import { createHash } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';

type Policy = Record<string, string[]>;

const serialise = (policy: Policy) =>
  Object.entries(policy)
    .map(([directive, sources]) => [directive, ...sources].join(' '))
    .join('; ');

/**
 * The web app: its own scripts and styles only (no inline script), API calls to its own origin.
 * Avatars are any https image the user names; `data:` for inline icons.
 */
export const WEB_APP_CONTENT_SECURITY_POLICY = serialise({
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'data:', 'https:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
});

/**
 * GraphiQL's page. Its bundle is one inline script, allowed by its hash (added per page, see
 * `graphiqlContentSecurityPolicy`), plus scripts from this origin; its editor sets inline styles,
 * uses data: fonts and images, and starts web workers from blob: URLs.
 */
export const GRAPHIQL_CONTENT_SECURITY_POLICY: Policy = {
  'default-src': ["'self'"],
  'script-src': ["'self'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'worker-src': ["'self'", 'blob:'],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
};

/** JSON and everything else that is not a page: nothing may load from it, nobody may frame it. */
export const API_CONTENT_SECURITY_POLICY = serialise({ 'default-src': ["'none'"], 'frame-ancestors': ["'none'"] });

/** GraphiQL's policy with each inline script of `html` allowed by its SHA-256 hash. */
export function graphiqlContentSecurityPolicy(html: string): string {
  const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    ([, script = '']) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`,
  );
  const scriptSources = GRAPHIQL_CONTENT_SECURITY_POLICY['script-src'] ?? [];
  return serialise({ ...GRAPHIQL_CONTENT_SECURITY_POLICY, 'script-src': [...scriptSources, ...hashes] });
}

/** Pages of the web app whose address carries a token: they must not hand it on in a Referer. */
export const TOKEN_PAGE_PATHS = ['/reset-password', '/verify-email', '/confirm-email'];

/**
 * Headers every answer carries, unless the answer set its own: no MIME sniffing, no framing, a
 * referrer without path or query for other origins, and HSTS when the public origin is https.
 */
export function useSecurityHeaders({ https }: { https: boolean }): Plugin {
  return {
    onResponse({ response }) {
      const headers = response.headers;
      const setDefault = (name: string, value: string) => {
        if (!headers.has(name)) headers.set(name, value);
      };
      setDefault('x-content-type-options', 'nosniff');
      setDefault('x-frame-options', 'DENY');
      setDefault('content-security-policy', API_CONTENT_SECURITY_POLICY);
      setDefault('referrer-policy', 'strict-origin-when-cross-origin');
      // Only when the public origin is https; subdomains are the operator's to include.
      if (https) setDefault('strict-transport-security', 'max-age=31536000');
    },
  };
}
