import type { IncomingMessage } from 'node:http';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { CookieStore } from '@whatwg-node/cookie-store';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import type { HotPool } from './database/hot-statements.ts';
import type { ProfileCache } from './user/profile-cache.ts';
import type { AuthMetrics } from './auth/auth-metrics.ts';
import { clearSessionCookies, cookieNames, readCookie, writeDeviceCookie, writeSessionCookies, type SessionCookies } from './auth/cookies.ts';
import { createRequestAuthenticator, type Viewer } from './auth/request-authentication.ts';
import type { RevocationList } from './auth/revocation-list.ts';
import type { RevocationReason, SessionRotator } from './auth/session-store.ts';
import type { SigningKeys } from './auth/signing-keys.ts';
import type { SecretEnvelope } from './auth/secret-envelope.ts';
import type { DeferredWork } from './deferred-work.ts';
import type { LeasedRateLimit } from './auth/leased-rate-limit.ts';
import { clientAddress } from './http/client-address.ts';

/** What the app is built from: created once at start-up, shared by every request. */
export interface AppDependencies {
  config: Config;
  orm: MikroORM;
  /** The ORM's own connection pool, for the few hot statements that need no unit of work. */
  pool: HotPool;
  signingKeys: SigningKeys;
  revocations: RevocationList;
  logger: Logger;
  /** Injected so tests can move time; production uses the wall clock. */
  now: () => Date;
  /** Checked against when a login names an unknown email, so both cost one bcrypt comparison. */
  dummyPasswordHash: string;
  metrics: AuthMetrics;
  /** The profiles `me` answers with, per instance, dropped when one changes anywhere. */
  profiles: ProfileCache;
  /** Seals secrets at rest (signing keys, queued email bodies) under `KEY_ENCRYPTION_SECRET`; none without one. */
  envelope: SecretEnvelope | undefined;
  /** Work left to run after the answer (see deferred-work.ts). */
  deferred: DeferredWork;
  /** The per-address refresh limit, counted in leases (see leased-rate-limit.ts). */
  refreshLimit: LeasedRateLimit;
  /** Rotates refresh tokens, many to a statement under load (see session-store.ts). */
  rotateSession: SessionRotator;
}

/** The app's dependencies plus what belongs to one request. */
export interface GraphQLContext extends AppDependencies {
  /**
   * A unit of work for this request only, forked on first use. A method, not a getter: yoga copies
   * the context with Object.assign, which would run a getter (and fork) for every request.
   */
  em(): EntityManager;
  clientIp: string | null;
  userAgent: string | null;
  /** The caller, or an `UNAUTHENTICATED` error with the reason a client acts on. */
  viewer(): Promise<Viewer>;
  /** Rejects the ended sessions' access tokens on this instance at once (others hear it via NOTIFY) and counts them. */
  sessionsEnded(sessionIds: string[], reason: RevocationReason): void;
  refreshTokenCookie(): Promise<string | undefined>;
  deviceTokenCookie(): Promise<string | undefined>;
  /** Keeps the device token in its own cookie; only the cookie transport calls it. */
  rememberDevice(device: { token: string; expiresAt: Date }): Promise<void>;
  /** Writes the session cookies; only the cookie transport calls it. */
  setSession(cookies: SessionCookies): Promise<void>;
  clearSession(): Promise<void>;
}

/** What the Node adapter passes along with each request. */
export interface ServerContext {
  req?: IncomingMessage;
}

export function createContextFactory(deps: AppDependencies) {
  const { config, orm, revocations, metrics, now } = deps;
  const names = cookieNames(config.secureCookies);
  const authenticateRequest = createRequestAuthenticator(deps);

  return ({ request, req }: { request: Request & { cookieStore?: CookieStore } } & ServerContext): GraphQLContext => {
    const cookieStore = request.cookieStore;
    if (!cookieStore) throw new Error('The cookies plugin must run before the context is built');
    let em: EntityManager | undefined;
    let viewer: Promise<Viewer> | undefined;
    return {
      ...deps,
      em: () => (em ??= orm.em.fork()),
      clientIp: clientAddress(request.headers.get('x-forwarded-for'), req?.socket.remoteAddress, config.trustProxyHops),
      userAgent: request.headers.get('user-agent'),
      viewer: () => (viewer ??= authenticateRequest(request, cookieStore)),
      sessionsEnded(sessionIds, reason) {
        revocations.add(sessionIds, now());
        metrics.revocations.inc({ reason }, sessionIds.length);
      },
      refreshTokenCookie: () => readCookie(cookieStore, names.refresh),
      deviceTokenCookie: () => readCookie(cookieStore, names.device),
      rememberDevice: ({ token, expiresAt }) => writeDeviceCookie(cookieStore, token, expiresAt, config.secureCookies),
      setSession: (cookies) => writeSessionCookies(cookieStore, cookies, config.secureCookies),
      clearSession: () => clearSessionCookies(cookieStore, config.secureCookies),
    };
  };
}
