import { signJwt, verifyJwt } from './jwt.ts';
import type { KeyRing } from './signing-keys.ts';

/**
 * Device tokens (OWASP "device cookies"): a client that once logged in to an account carries a
 * signed token naming that account, and its failed attempts do not count against the account's
 * own limit. A stranger guessing passwords cannot then lock the owner out.
 */
const DEVICE_TOKEN_TYPE = 'device+jwt';
export const DEVICE_TOKEN_LIFETIME_MS = 180 * 86_400_000;

const audienceOf = (publicOrigin: string) => `${publicOrigin}/device`;

export function signDeviceToken(
  keys: KeyRing,
  userId: string,
  { publicOrigin, now }: { publicOrigin: string; now: Date },
): { token: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + DEVICE_TOKEN_LIFETIME_MS);
  const token = signJwt(keys.signing, DEVICE_TOKEN_TYPE, {
    iss: publicOrigin,
    aud: audienceOf(publicOrigin),
    sub: userId,
    iat: Math.floor(now.getTime() / 1000),
    exp: Math.floor(expiresAt.getTime() / 1000),
  });
  return { token, expiresAt };
}

/** Whether `token` is a valid device token for this very account. */
export function deviceTokenTrusts(
  keys: KeyRing,
  token: string | undefined,
  userId: string | undefined,
  { publicOrigin, now }: { publicOrigin: string; now: Date },
): boolean {
  if (!token || !userId) return false;
  const payload = verifyJwt(keys.deviceVerification, token, {
    typ: DEVICE_TOKEN_TYPE,
    issuer: publicOrigin,
    audience: audienceOf(publicOrigin),
    requiredClaims: ['exp', 'sub'],
    now,
    clockSkewSeconds: 0,
  });
  return typeof payload !== 'string' && payload.sub === userId;
}
