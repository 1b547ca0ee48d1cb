import type { GraphQLContext } from '../builder.ts';
import type { UserProfile } from '../user/user-profile.ts';
import { signAccessToken, tokenAudience } from './access-token.ts';
import { sessionExpiresAt, type IssuedRefreshToken } from './session-store.ts';
import { signDeviceToken } from './device-token.ts';

export type TokenTransport = 'COOKIE' | 'BEARER';

export interface AuthPayload {
  user: UserProfile;
  accessTokenExpiresAt: Date;
  refreshTokenExpiresAt: Date;
  accessToken: string | null;
  refreshToken: string | null;
  deviceToken: string | null;
}

/**
 * Signs an access token for the session and hands both tokens over: as HttpOnly cookies for
 * browsers (the payload then carries no token), or in the payload for bearer clients.
 */
export async function deliverTokens(
  context: GraphQLContext,
  user: UserProfile,
  issued: IssuedRefreshToken,
  transport: TokenTransport,
  { rememberDevice = false }: { rememberDevice?: boolean } = {},
): Promise<AuthPayload> {
  const now = context.now();
  const ttlEnd = new Date(now.getTime() + context.config.accessTokenTtlMs);
  const sessionEnd = sessionExpiresAt(issued.session);
  // An access token never outlives its session.
  const accessTokenExpiresAt = ttlEnd < sessionEnd ? ttlEnd : sessionEnd;
  const accessToken = signAccessToken(
    context.signingKeys.current(),
    { userId: user.id, sessionId: issued.session.id, amr: issued.session.amr, authTime: issued.session.authTime },
    { ...tokenAudience(context.config.publicOrigin), issuedAt: now, expiresAt: accessTokenExpiresAt },
  );
  // Logging in marks the device as one that knows this account (see device-token.ts).
  const device = rememberDevice
    ? signDeviceToken(context.signingKeys.current(), user.id, { publicOrigin: context.config.publicOrigin, now })
    : undefined;
  const payload = { user, accessTokenExpiresAt, refreshTokenExpiresAt: issued.refreshTokenExpiresAt };
  if (transport === 'BEARER') return { ...payload, accessToken, refreshToken: issued.refreshToken, deviceToken: device?.token ?? null };
  await context.setSession({ accessToken, accessTokenExpiresAt, refreshToken: issued.refreshToken, refreshTokenExpiresAt: issued.refreshTokenExpiresAt });
  if (device) await context.rememberDevice(device);
  return { ...payload, accessToken: null, refreshToken: null, deviceToken: null };
}
