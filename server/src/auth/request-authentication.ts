import type { CookieStore } from '@whatwg-node/cookie-store';
import type { Config } from '../config.ts';
import { unauthenticated } from '../errors.ts';
import { tokenAudience } from './access-token.ts';
import { cookieNames, readCookie } from './cookies.ts';
import type { RevocationList } from './revocation-list.ts';
import type { SigningKeys } from './signing-keys.ts';
import { createVerifiedTokenCache } from './verified-token-cache.ts';

/** The authenticated caller: a user acting through one session. */
export interface Viewer {
  userId: string;
  sessionId: string;
}

type AccessTokenSource = { token: string } | { malformed: true } | undefined;

function bearerToken(request: Request): AccessTokenSource {
  const header = request.headers.get('authorization')?.trim();
  // Other schemes (a staging site's Basic auth, say) are not ours to judge: the cookie still counts.
  if (header === undefined || !/^Bearer(\s|$)/i.test(header)) return undefined;
  const match = /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header);
  return match ? { token: match[1]! } : { malformed: true };
}

/**
 * Turns a request into its viewer, or throws `UNAUTHENTICATED` with the reason a client acts on:
 * the access token from `Authorization: Bearer` first (a program that sends a header means it,
 * whatever cookies a browser holds), else from the cookie; verified (cached until it expires) and
 * checked against this instance's revocation list, with no database read.
 */
export function createRequestAuthenticator({
  config,
  signingKeys,
  revocations,
  now,
}: {
  config: Pick<Config, 'publicOrigin' | 'secureCookies'>;
  signingKeys: SigningKeys;
  revocations: RevocationList;
  now: () => Date;
}) {
  const names = cookieNames(config.secureCookies);
  const audience = tokenAudience(config.publicOrigin);
  const verifyAccessToken = createVerifiedTokenCache();

  return async function authenticateRequest(request: Request, cookies: CookieStore): Promise<Viewer> {
    const fromCookie = async (): Promise<AccessTokenSource> => {
      const token = await readCookie(cookies, names.access);
      return token === undefined ? undefined : { token };
    };
    const source = bearerToken(request) ?? (await fromCookie());
    // A browser whose access cookie expired still holds the refresh cookie: it should refresh, not log in.
    if (source === undefined) throw unauthenticated((await readCookie(cookies, names.refresh)) ? 'TOKEN_EXPIRED' : 'TOKEN_MISSING');
    if ('malformed' in source) throw unauthenticated('TOKEN_INVALID');
    const claims = verifyAccessToken(signingKeys.current(), source.token, { ...audience, now: now() });
    if (typeof claims === 'string') throw unauthenticated(claims);
    if (revocations.has(claims.sessionId)) throw unauthenticated('SESSION_REVOKED');
    return { userId: claims.userId, sessionId: claims.sessionId };
  };
}
