import type { IncomingMessage } from 'node:http';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { CookieStore } from '@whatwg-node/cookie-store';
import type { Config } from './config.ts';
import { unauthenticated } from './errors.ts';
import type { Logger } from './logger.ts';
import { tokenAudience } from './auth/access-token.ts';
import { createVerifiedTokenCache } from './auth/verified-token-cache.ts';
import { clearSessionCookies, cookieNames, readCookie, writeDeviceCookie, writeSessionCookies, type SessionCookies } from './auth/cookies.ts';
import type { RevocationList } from './auth/revocation-list.ts';
import type { SigningKeys } from './auth/signing-keys.ts';
import type { RevocationReason } from './auth/session-store.ts';
import type { AuthMetrics } from './http/metrics.ts';
import { clientAddress } from './http/client-address.ts';

/** What the app is built from: created once at start-up, shared by every request. */
export interface AppDependencies {
  config: Config;
  orm: MikroORM;
  /** The ORM's own connection pool, for the few hot reads that need no unit of work. */
  pool: pg.Pool;
  signingKeys: SigningKeys;
  revocations: RevocationList;
  logger: Logger;
  /** Injected so tests can move time; production uses the wall clock. */
  now: () => Date;
  /** Checked against when a login names an unknown email, so both cost one bcrypt comparison. */
  dummyPasswordHash: string;
  metrics: AuthMetrics;
}

/** The authenticated caller: a user acting through one session. */
export interface Viewer {
  userId: string;
  sessionId: string;
}

export interface GraphQLContext {
  config: Config;
  signingKeys: SigningKeys;
  revocations: RevocationList;
  logger: Logger;
  now: () => Date;
  dummyPasswordHash: string;
  metrics: AuthMetrics;
  /** Rejects the ended sessions' access tokens on this instance at once (others hear it via NOTIFY) and counts them. */
  sessionsEnded(sessionIds: string[], reason: RevocationReason): void;
  /**
   * A unit of work for this request only, forked on first use. A method, not a getter: yoga copies
   * the context with Object.assign, which would run a getter (and fork) for every request.
   */
  em(): EntityManager;
  pool: pg.Pool;
  clientIp: string | null;
  userAgent: string | null;
  /** The caller, or an `UNAUTHENTICATED` error with the reason a client acts on. */
  viewer(): Promise<Viewer>;
  /** The caller's session id when a valid access token came along, without failing otherwise. */
  currentSessionId(): Promise<string | undefined>;
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

type AccessTokenSource = { token: string } | { malformed: true } | undefined;

function bearerToken(request: Request): AccessTokenSource {
  const header = request.headers.get('authorization')?.trim();
  // Other schemes (a staging site's Basic auth, say) are not ours to judge: the cookie still counts.
  if (header === undefined || !/^Bearer(\s|$)/i.test(header)) return undefined;
  const match = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header);
  return match ? { token: match[1]! } : { malformed: true };
}

export function createContextFactory(deps: AppDependencies) {
  const { config, signingKeys, revocations, logger, now, dummyPasswordHash, orm, metrics, pool } = deps;
  const names = cookieNames(config.secureCookies);
  const audience = tokenAudience(config.publicOrigin);
  const verifyAccessToken = createVerifiedTokenCache();

  return ({ request, req }: { request: Request & { cookieStore?: CookieStore } } & ServerContext): GraphQLContext => {
    const cookieStore = request.cookieStore;
    if (!cookieStore) throw new Error('The cookies plugin must run before the context is built');
    let em: EntityManager | undefined;
    let viewer: Promise<Viewer> | undefined;

    const authenticate = async (): Promise<Viewer> => {
      // Bearer first: a program that sends a header means it, whatever cookies a browser holds.
      const source = bearerToken(request) ?? (await accessTokenCookie());
      if (source === undefined) {
        throw unauthenticated((await readCookie(cookieStore, names.refresh)) ? 'TOKEN_EXPIRED' : 'TOKEN_MISSING');
      }
      if ('malformed' in source) throw unauthenticated('TOKEN_INVALID');
      const claims = await verifyAccessToken(signingKeys.current(), source.token, { ...audience, now: now() });
      if (typeof claims === 'string') throw unauthenticated(claims);
      if (revocations.has(claims.sessionId)) throw unauthenticated('SESSION_REVOKED');
      return { userId: claims.userId, sessionId: claims.sessionId };
    };

    const accessTokenCookie = async (): Promise<AccessTokenSource> => {
      const token = await readCookie(cookieStore, names.access);
      return token === undefined ? undefined : { token };
    };

    return {
      config,
      signingKeys,
      revocations,
      logger,
      now,
      dummyPasswordHash,
      metrics,
      pool,
      sessionsEnded(sessionIds, reason) {
        revocations.add(sessionIds, now());
        metrics.revocations.inc({ reason }, sessionIds.length);
      },
      em: () => (em ??= orm.em.fork()),
      clientIp: clientAddress(request.headers.get('x-forwarded-for'), req?.socket.remoteAddress, config.trustProxyHops),
      userAgent: request.headers.get('user-agent'),
      viewer: () => (viewer ??= authenticate()),
      currentSessionId: () => (viewer ??= authenticate()).then((found) => found.sessionId, () => undefined),
      refreshTokenCookie: () => readCookie(cookieStore, names.refresh),
      deviceTokenCookie: () => readCookie(cookieStore, names.device),
      rememberDevice: ({ token, expiresAt }) => writeDeviceCookie(cookieStore, token, expiresAt, config.secureCookies),
      setSession: (cookies) => writeSessionCookies(cookieStore, cookies, config.secureCookies),
      clearSession: () => clearSessionCookies(cookieStore, config.secureCookies),
    };
  };
}
