import { signJwt, verifyJwt, type JwtFailure } from './jwt.ts';
import type { KeyRing } from './signing-keys.ts';
import { isUuid } from '../uuid.ts';

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
  expiresAt: Date;
}

export interface TokenAudience {
  issuer: string;
  audience: string;
}

const ACCESS_TOKEN_TYPE = 'at+jwt';
/** Clock skew allowed between the servers that sign and verify tokens. */
export const CLOCK_SKEW_SECONDS = 5;

/**
 * Signs an access token for a session. `amr` and `auth_time` (seconds) say how and when the
 * session's login proved who it was; they come from the session row, so refreshed tokens keep them.
 */
export function signAccessToken(
  keys: KeyRing,
  claims: { userId: string; sessionId: string; amr: readonly string[]; authTime: Date },
  { issuer, audience, issuedAt, expiresAt }: TokenAudience & { issuedAt: Date; expiresAt: Date },
): string {
  return signJwt(keys.signing, ACCESS_TOKEN_TYPE, {
    iss: issuer,
    aud: audience,
    sub: claims.userId,
    sid: claims.sessionId,
    jti: crypto.randomUUID(),
    amr: [...claims.amr],
    auth_time: Math.floor(claims.authTime.getTime() / 1000),
    iat: Math.floor(issuedAt.getTime() / 1000),
    exp: Math.floor(expiresAt.getTime() / 1000),
  });
}

export type AccessTokenFailure = JwtFailure;

/**
 * Verifies an access token with everything pinned (see `verifyJwt`), at most 5 s of clock skew,
 * and claims that name a user and a session. Every failure maps to one reason, never a throw.
 */
export function verifyAccessToken(
  keys: KeyRing,
  token: string,
  { issuer, audience, now }: TokenAudience & { now: Date },
): AccessTokenClaims | AccessTokenFailure {
  const payload = verifyJwt(keys.verification, token, {
    typ: ACCESS_TOKEN_TYPE,
    issuer,
    audience,
    requiredClaims: ['exp', 'iat', 'sub', 'sid', 'jti'],
    now,
    clockSkewSeconds: CLOCK_SKEW_SECONDS,
  });
  if (typeof payload === 'string') return payload;
  if (!isUuid(payload.sub) || !isUuid(payload.sid) || typeof payload.exp !== 'number') return 'TOKEN_INVALID';
  // A token from the future would outlive its lifetime.
  if (typeof payload.iat !== 'number' || payload.iat > now.getTime() / 1000 + CLOCK_SKEW_SECONDS) return 'TOKEN_INVALID';
  return { userId: payload.sub, sessionId: payload.sid, expiresAt: new Date(payload.exp * 1000) };
}

/** Tokens are issued by, and only accepted at, this deployment's public origin. */
export function tokenAudience(publicOrigin: string): TokenAudience {
  return { issuer: publicOrigin, audience: `${publicOrigin}/graphql` };
}
