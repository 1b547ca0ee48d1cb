import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '@graphql-auth/test-kit/test-app';

/** A built web app as Vite leaves it: index.html, a hashed script in assets/, a favicon. */
async function fakeWebBuild(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'web-dist-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>');
  await writeFile(join(dir, 'assets', 'index-abc123.js'), `console.log(${JSON.stringify('the app '.repeat(5000))});`);
  await writeFile(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

/** The CSP as a map of directive to sources. */
function directives(policy: string | null): Map<string, string[]> {
  return new Map((policy ?? '').split(';').map((part) => part.trim().split(/\s+/)).map(([name = '', ...sources]) => [name, sources]));
}

describe('security headers, compression and caching of pages', () => {
  let webDir: string;
  let local: TestApp;
  let https: TestApp;
  beforeAll(async () => {
    webDir = await fakeWebBuild();
    [local, https] = await Promise.all([
      createTestApp({}, { webAppDir: webDir }),
      createTestApp({ PUBLIC_ORIGIN: 'https://auth.example.com' }, { webAppDir: webDir }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([local.close(), https.close()]);
    await rm(webDir, { recursive: true, force: true });
  });

  it('gives the web app a strict CSP: scripts and connections only to its own origin, no inline script, no framing', async () => {
    for (const path of ['/', '/login', '/profile']) {
      const response = await local.app.fetch(`http://localhost${path}`);
      expect(response.status).toBe(200);
      const policy = directives(response.headers.get('content-security-policy'));
      expect(policy.get('script-src')).toEqual(["'self'"]);
      expect(policy.get('connect-src')).toEqual(["'self'"]);
      expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
      expect(policy.get('object-src')).toEqual(["'none'"]);
      expect(response.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  it('sends no referrer at all from pages whose address carries a token', async () => {
    for (const path of ['/reset-password', '/verify-email', '/confirm-email']) {
      const response = await local.app.fetch(`http://localhost${path}?token=secret`);
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
  });

  it('sends HSTS when the public origin is https, on pages and API answers alike', async () => {
    const page = await https.app.fetch('http://localhost/');
    expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000');
    const api = await https.app.fetch('http://localhost/healthz');
    expect(api.headers.get('strict-transport-security')).toBe('max-age=31536000');
  });

  it('gives API answers a CSP that loads nothing and forbids framing', async () => {
    const response = await local.app.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  });

  it('caches hashed assets for a year and makes index.html revalidate', async () => {
    const asset = await local.app.fetch('http://localhost/assets/index-abc123.js');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const index = await local.app.fetch('http://localhost/');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const favicon = await local.app.fetch('http://localhost/favicon.svg');
    expect(favicon.headers.get('cache-control')).toBe('no-cache');
  });

  it('compresses text assets with brotli or gzip as the client accepts, and not otherwise', async () => {
    const url = 'http://localhost/assets/index-abc123.js';
    const plain = Buffer.from(await (await local.app.fetch(url, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());

    const brotli = await local.app.fetch(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('vary')).toMatch(/accept-encoding/i);
    const brotliBody = Buffer.from(await brotli.arrayBuffer());
    expect(brotliBody.length).toBeLessThan(plain.length / 10);
    expect(brotliDecompressSync(brotliBody).equals(plain)).toBe(true);

    const gzip = await local.app.fetch(url, { headers: { 'accept-encoding': 'gzip, br;q=0' } });
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).equals(plain)).toBe(true);

    const identity = await local.app.fetch(url, { headers: { 'accept-encoding': 'identity' } });
    expect(identity.headers.get('content-encoding')).toBeNull();
  });

  it('serves GraphiQL compressed, under a CSP that allows exactly its inline scripts and scripts from its own origin', async () => {
    const plain = await local.app.fetch('http://localhost/graphql', { headers: { accept: 'text/html', 'accept-encoding': 'identity' } });
    const html = await plain.text();
    expect(plain.headers.get('content-encoding')).toBeNull();

    const compressed = await local.app.fetch('http://localhost/graphql', { headers: { accept: 'text/html', 'accept-encoding': 'gzip, br' } });
    expect(compressed.status).toBe(200);
    expect(compressed.headers.get('content-encoding')).toBe('br');
    const body = Buffer.from(await compressed.arrayBuffer());
    expect(body.length).toBeLessThan(html.length / 3);
    expect(brotliDecompressSync(body).toString()).toBe(html);

    const policy = directives(compressed.headers.get('content-security-policy'));
    const inlineScripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(([, script = '']) => script);
    expect(inlineScripts.length).toBeGreaterThan(0);
    expect(policy.get('script-src')).toEqual(["'self'", ...inlineScripts.map((script) => `'sha256-${createHash('sha256').update(script).digest('base64')}'`)]);
    expect(policy.get('script-src')).not.toContain("'unsafe-inline'");
    expect(policy.get('connect-src')).toEqual(["'self'"]);
    expect(policy.get('frame-ancestors')).toEqual(["'none'"]);
    expect(compressed.headers.get('x-frame-options')).toBe('DENY');
  });
});
