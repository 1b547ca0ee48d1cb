import { errors, jwtVerify, SignJWT, type JWTHeaderParameters } from 'jose';
import { ACCESS_TOKEN_ALGORITHMS, type KeyRing } from './signing-keys.ts';
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
): Promise<string> {
  return new SignJWT({ sid: claims.sessionId, amr: [...claims.amr], auth_time: Math.floor(claims.authTime.getTime() / 1000) })
    .setProtectedHeader({ alg: keys.signing.algorithm, kid: keys.signing.kid, typ: ACCESS_TOKEN_TYPE })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject(claims.userId)
    .setJti(crypto.randomUUID())
    .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(keys.signing.key);
}

/** Picks the key a token names; a key verifies only its own algorithm, so a token cannot pick a weaker one. */
export function verificationKeyOf(keys: KeyRing['verification']) {
  return (header: JWTHeaderParameters) => {
    const key = header.kid === undefined ? undefined : keys.get(header.kid);
    if (!key || key.algorithm !== header.alg) throw new errors.JWKSNoMatchingKey();
    return key.key;
  };
}

export type AccessTokenFailure = 'TOKEN_EXPIRED' | 'TOKEN_INVALID';

/**
 * Verifies an access token with everything pinned: algorithm (per key), issuer, audience, `typ`,
 * required claims and at most 5 s of clock skew. Every failure maps to one reason, never a throw.
 */
export async function verifyAccessToken(
  keys: KeyRing,
  token: string,
  { issuer, audience, now }: TokenAudience & { now: Date },
): Promise<AccessTokenClaims | AccessTokenFailure> {
  try {
    const { payload } = await jwtVerify(
      token,
      verificationKeyOf(keys.verification),
      {
        algorithms: [...ACCESS_TOKEN_ALGORITHMS],
        issuer,
        audience,
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: ['exp', 'iat', 'sub', 'sid', 'jti'],
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: now,
      },
    );
    if (!isUuid(payload.sub) || !isUuid(payload.sid) || typeof payload.exp !== 'number') return 'TOKEN_INVALID';
    // jose checks a future `iat` only with maxTokenAge; a token from the future would outlive its lifetime.
    if (typeof payload.iat !== 'number' || payload.iat > now.getTime() / 1000 + CLOCK_SKEW_SECONDS) return 'TOKEN_INVALID';
    return { userId: payload.sub, sessionId: payload.sid, expiresAt: new Date(payload.exp * 1000) };
  } catch (error) {
    return error instanceof errors.JWTExpired ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID';
  }
}

/** Tokens are issued by, and only accepted at, this deployment's public origin. */
export function tokenAudience(publicOrigin: string): TokenAudience {
  return { issuer: publicOrigin, audience: `${publicOrigin}/graphql` };
}
