import type { Plugin } from 'graphql-yoga';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { SigningKeys } from '../auth/signing-keys.ts';

const READINESS_TIMEOUT_MS = 2000;

async function databaseAnswers(orm: MikroORM): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), READINESS_TIMEOUT_MS);
  });
  const query = orm.em.fork().execute('select 1').then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The non-GraphQL endpoints: `/healthz` (the process is up), `/readyz` (it can reach the database,
 * so a load balancer should send traffic) and the public signing keys at `/.well-known/jwks.json`.
 */
export function useServiceRoutes({ orm, signingKeys }: { orm: MikroORM; signingKeys: SigningKeys }): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const json = (body: unknown, status = 200, cache = 'no-store') =>
        endResponse(fetchAPI.Response.json(body, { status, headers: { 'cache-control': cache } }));
      switch (url.pathname) {
        case '/healthz':
          return json({ status: 'ok' });
        case '/readyz':
          return (await databaseAnswers(orm)) ? json({ status: 'ready' }) : json({ status: 'database unavailable' }, 503);
        case '/.well-known/jwks.json':
          return json(signingKeys.current().jwks, 200, 'public, max-age=300');
      }
    },
  };
}
