import { jwtVerify, SignJWT } from 'jose';
import { ACCESS_TOKEN_ALGORITHMS, type KeyRing } from './signing-keys.ts';
import { verificationKeyOf } from './access-token.ts';

/**
 * Device tokens (OWASP "device cookies"): a client that once logged in to an account carries a
 * signed token naming that account, and its failed attempts do not count against the account's
 * own limit. A stranger guessing passwords cannot then lock the owner out.
 */
const DEVICE_TOKEN_TYPE = 'device+jwt';
export const DEVICE_TOKEN_LIFETIME_MS = 180 * 86_400_000;

const audienceOf = (publicOrigin: string) => `${publicOrigin}/device`;

export async function signDeviceToken(
  keys: KeyRing,
  userId: string,
  { publicOrigin, now }: { publicOrigin: string; now: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(now.getTime() + DEVICE_TOKEN_LIFETIME_MS);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: keys.signing.algorithm, kid: keys.signing.kid, typ: DEVICE_TOKEN_TYPE })
    .setIssuer(publicOrigin)
    .setAudience(audienceOf(publicOrigin))
    .setSubject(userId)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(keys.signing.key);
  return { token, expiresAt };
}

/** Whether `token` is a valid device token for this very account. */
export async function deviceTokenTrusts(
  keys: KeyRing,
  token: string | undefined,
  userId: string | undefined,
  { publicOrigin, now }: { publicOrigin: string; now: Date },
): Promise<boolean> {
  if (!token || !userId) return false;
  try {
    const { payload } = await jwtVerify(token, verificationKeyOf(keys.deviceVerification), {
      algorithms: [...ACCESS_TOKEN_ALGORITHMS],
      issuer: publicOrigin,
      audience: audienceOf(publicOrigin),
      typ: DEVICE_TOKEN_TYPE,
      requiredClaims: ['exp', 'sub'],
      currentDate: now,
    });
    return payload.sub === userId;
  } catch {
    return false;
  }
}
