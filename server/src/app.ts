import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { useCookies } from '@whatwg-node/server-plugin-cookies';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { MikroORM } from '@mikro-orm/postgresql';
import { hotPool } from './database/hot-statements.ts';
import { createProfileCache } from './user/profile-cache.ts';
import type { Config } from './config.ts';
import { createContextFactory, type AppDependencies, type GraphQLContext, type ServerContext } from './context.ts';
import { createLogger, type Logger } from './logger.ts';
import { schema } from './schema.ts';
import { createDummyHash } from './auth/password.ts';
import { createRevocationList } from './auth/revocation-list.ts';
import { loadSigningKeys } from './auth/signing-keys.ts';
import { DEVICE_TOKEN_LIFETIME_MS } from './auth/device-token.ts';
import { secretEnvelopeOf } from './auth/secret-envelope.ts';
import { startBackgroundJobs } from './background-jobs.ts';
import { createDeferredWork } from './deferred-work.ts';
import { createLeasedRateLimit } from './auth/leased-rate-limit.ts';
import { createSessionRotator } from './auth/session-store.ts';
import { createErrorMasker, yogaLogging } from './http/mask-error.ts';
import { useRequestId } from './http/request-id.ts';
import { useServiceRoutes } from './http/service-routes.ts';
import { useWebApp } from './http/web-app.ts';
import { useGraphiQLPage } from './http/graphiql-page.ts';
import { GRAPHIQL_DEFAULT_DOCUMENT } from './http/graphiql-default-document.ts';
import { useSecurityHeaders } from './http/security-headers.ts';
import { graphqlLimits } from './http/graphql-limits.ts';
import { useOriginCheck } from './http/origin-check.ts';
import { useCsrfHeaderCheck } from './http/csrf-check.ts';
import { cookieNames } from './auth/cookies.ts';
import { createMetrics, useMetrics } from './http/metrics.ts';
import { useNoStoreForGraphQL } from './http/cache-control.ts';
import { renderGuardedGraphiQL, useGraphiQLGuard } from './http/graphiql-guard.ts';
import { createEmailMetrics } from './email/email-metrics.ts';
import { countPendingEmails } from './email/outbox-store.ts';
import { useDevMailbox } from './email/dev-mailbox.ts';
import { deliveryModeOf } from './email/mail-delivery.ts';
import { mailWorkerOptions, type MailWorkerOverrides } from './email/mail-worker.ts';

export interface AppOptions {
  config: Config;
  /** Connected and migrated. */
  orm: MikroORM;
  logger?: Logger;
  /** The clock; tests pass one they can move. */
  now?: () => Date;
  /** The built web app to serve at `/`; none by default. */
  webAppDir?: string;
  /** Extra yoga plugins, e.g. a test's request counter; they run after the app's own. */
  plugins?: Plugin[];
  /** The mail worker's pace (poll interval, back-off, lease); tests shorten the waits. */
  mailWorker?: MailWorkerOverrides;
}

export type App = YogaServerInstance<ServerContext, GraphQLContext>;

/**
 * Loads what requests share (signing keys, recent revocations), starts the background jobs and
 * builds the yoga app. It does not listen; `app.dispose()` stops the jobs.
 */
export async function createApp({
  config,
  orm,
  logger = createLogger(config.logLevel),
  now = () => new Date(),
  webAppDir,
  plugins = [],
  mailWorker,
}: AppOptions): Promise<App> {
  const revocations = createRevocationList(config.accessTokenTtlMs);
  const envelope = secretEnvelopeOf(config);
  const em = orm.em.fork();
  const [signingKeys, dummyPasswordHash] = await Promise.all([
    loadSigningKeys(em, { configured: config.jwtPrivateKeys, envelope }, { now: now(), accessTokenTtlMs: config.accessTokenTtlMs, deviceTokenLifetimeMs: DEVICE_TOKEN_LIFETIME_MS }),
    createDummyHash(config.bcryptCost),
    revocations.load(em, now()),
  ]);
  const metrics = createMetrics();
  // Named prepared statements live on one server connection, which a transaction pooler does not keep.
  const pool = hotPool(await orm.driver.getConnection().getNativeClient(), { prepared: !config.databaseDirectUrl });
  const deferred = createDeferredWork({ logger });
  const deps: AppDependencies = { config, orm, pool, signingKeys, revocations, logger, now, dummyPasswordHash, metrics: metrics.auth, profiles: createProfileCache(), envelope, deferred, refreshLimit: createLeasedRateLimit(pool), rotateSession: createSessionRotator(pool) };
  const emailMetrics = createEmailMetrics(metrics.registry, { countPending: () => countPendingEmails(orm.em.fork()), logger });
  const jobs = await startBackgroundJobs({ ...deps, emailMetrics, mailWorker: mailWorkerOptions(mailWorker) });
  if (config.env === 'production' && !config.metricsToken) {
    logger.warn('/metrics answers anyone who reaches it: set METRICS_TOKEN, or block /metrics at the proxy');
  }

  return createYoga<ServerContext, GraphQLContext>({
    schema,
    context: createContextFactory(deps),
    graphqlEndpoint: '/graphql',
    // GraphiQL needs introspection, so it goes with it.
    graphiql: config.introspection
      ? {
          title: 'GraphQL Auth',
          credentials: 'same-origin',
          additionalHeaders: { 'x-graphql-yoga-csrf': 'graphiql' },
          defaultQuery: GRAPHIQL_DEFAULT_DOCUMENT,
          // An `Authorization: Bearer` typed there would otherwise stay in localStorage after logout.
          shouldPersistHeaders: false,
        }
      : false,
    // Loads GraphiQL when a browser first asks for it, with the guard script (http/graphiql-guard.ts).
    renderGraphiQL: renderGuardedGraphiQL,
    landingPage: false,
    // The body limit is checked on Content-Length up front (http/graphql-limits.ts), with chunked
    // bodies refused; yoga's own stream limiter would only add an AbortController per request.
    maxRequestBodySize: false,
    // Browsers on other origins may call with cookies only when they are allowed.
    cors: { origin: config.allowedOrigins, credentials: true },
    maskedErrors: { maskError: createErrorMasker(logger) },
    logging: yogaLogging(logger),
    plugins: [
      useRequestId(),
      useMetrics(metrics, logger, '/graphql', config.metricsToken),
      useCookies(),
      useServiceRoutes({ orm, signingKeys }),
      useDevMailbox({ enabled: deliveryModeOf(config) === 'dev-mailbox', orm, envelope, appName: config.appName }),
      useNoStoreForGraphQL('/graphql'),
      ...(config.introspection ? [useGraphiQLGuard()] : []),
      useOriginCheck({ allowedOrigins: config.allowedOrigins, cookieNames: Object.values(cookieNames(config.secureCookies)) }),
      // GET requests and form posts need a header a cross-site form cannot set.
      useCsrfHeaderCheck(),
      ...graphqlLimits({ maxBodyBytes: config.requestBodyLimitBytes, suggestFields: config.introspection }),
      ...(webAppDir ? [useWebApp(webAppDir, '/graphql')] : []),
      // GraphiQL's page first: it sets its own policy, which the defaults then leave alone.
      ...(config.introspection ? [useGraphiQLPage('/graphql')] : []),
      useSecurityHeaders({ https: config.publicOrigin.startsWith('https:') }),
      ...(config.introspection ? [] : [useDisableIntrospection()]),
      ...plugins,
      {
        // Work the last answers left behind still needs the database.
        onDispose: async () => {
          await deferred.drained();
          await jobs.stop();
        },
      },
    ],
  });
}
