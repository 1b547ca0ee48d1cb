import type { Plugin } from 'graphql-yoga';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { SecretEnvelope } from '../auth/secret-envelope.ts';
import { listKeptEmails } from './outbox-store.ts';
import { openEmailBody } from './outbox.ts';
import { DEV_MAILBOX_CONTENT_SECURITY_POLICY, renderDevMailbox } from './dev-mailbox-page.ts';
import { DEV_MAILBOX_PATH } from './mail-delivery.ts';

// Enough to find the last few messages of a session; older ones are a query away.
const LISTED = 50;

/**
 * `GET /dev/mail`: the development mailbox, while emails are kept instead of sent (no `SMTP_URL`,
 * outside production). Otherwise the path answers 404, before the web app could answer it with
 * its index page.
 */
export function useDevMailbox({ enabled, orm, envelope, appName }: { enabled: boolean; orm: MikroORM; envelope: SecretEnvelope | undefined; appName: string }): Plugin {
  return {
    async onRequest({ url, request, endResponse, fetchAPI }) {
      if (url.pathname !== DEV_MAILBOX_PATH) return;
      if (!enabled || (request.method !== 'GET' && request.method !== 'HEAD')) {
        return endResponse(new fetchAPI.Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
      }
      const kept = await listKeptEmails(orm.em.fork(), LISTED);
      const entries = kept.map((email) => ({ ...email, body: openEmailBody(email, envelope) }));
      endResponse(
        new fetchAPI.Response(renderDevMailbox(entries, appName), {
          headers: {
            'content-type': 'text/html; charset=utf-8',
            'content-security-policy': DEV_MAILBOX_CONTENT_SECURITY_POLICY,
            // The page is full of live links: never in a cache, never in a Referer.
            'cache-control': 'no-store',
            'referrer-policy': 'no-referrer',
          },
        }),
      );
    },
  };
}
