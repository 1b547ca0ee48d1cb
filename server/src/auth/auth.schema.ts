import { builder } from '../builder.ts';
import { rateLimited, unauthenticated } from '../errors.ts';
import { UserRef } from '../user/user.schema.ts';
import { deliverTokens, type AuthPayload } from './auth-payload.ts';
import { clientIpKey } from './password-check.ts';
import { findSessionByRefreshToken, revokeSessions, rotateRefreshToken } from './session-store.ts';

export const TokenTransport = builder.enumType('TokenTransport', {
  description: 'How tokens travel: HttpOnly cookies for browsers, or in the payload for other programs.',
  values: ['COOKIE', 'BEARER'] as const,
});

export const AuthPayloadRef = builder.objectRef<AuthPayload>('AuthPayload').implement({
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (payload) => payload.user }),
    accessTokenExpiresAt: t.expose('accessTokenExpiresAt', { type: 'DateTime' }),
    refreshTokenExpiresAt: t.expose('refreshTokenExpiresAt', { type: 'DateTime' }),
    accessToken: t.exposeString('accessToken', { nullable: true, description: 'Only for transport BEARER; null for COOKIE.' }),
    refreshToken: t.exposeString('refreshToken', { nullable: true, description: 'Only for transport BEARER; null for COOKIE.' }),
    deviceToken: t.exposeString('deviceToken', {
      nullable: true,
      description:
        'Only for transport BEARER, after login or signup: pass it as LoginInput.deviceToken next time, so failed attempts by others cannot lock this device out. Browsers get it as an HttpOnly cookie.',
    }),
  }),
});

builder.mutationField('refresh', (t) =>
  t.field({
    type: AuthPayloadRef,
    description: 'Exchanges a refresh token (the argument, or else the refresh cookie) for new tokens.',
    args: { refreshToken: t.arg.string({ required: false }) },
    resolve: async (_root, args, context) => {
      const fromCookie = args.refreshToken === undefined || args.refreshToken === null;
      const refreshToken = fromCookie ? await context.refreshTokenCookie() : args.refreshToken;
      if (refreshToken === undefined || refreshToken === null) throw unauthenticated('TOKEN_MISSING');
      const now = context.now();
      const refreshLimit = context.config.rateLimits.refreshIp;
      // Every attempt counts, garbage included; leased, so a busy address costs no round trip per refresh.
      const verdict = refreshLimit ? await context.refreshLimit({ key: `refresh:ip:${clientIpKey(context)}`, rule: refreshLimit }, now) : ({ allowed: true } as const);
      if (!verdict.allowed) {
        context.metrics.rateLimited.inc({ action: 'refresh' });
        throw rateLimited(verdict.retryAfterSeconds);
      }
      const result = await rotateRefreshToken({ pool: context.pool, rotate: context.rotateSession, em: context.em }, refreshToken, { now, policy: context.config });
      context.metrics.refreshes.inc({ result: 'failure' in result ? result.failure : 'ok' });
      if ('failure' in result) {
        if (result.revokedSessionId) {
          context.sessionsEnded([result.revokedSessionId], 'refresh_token_reused');
          context.metrics.reuseDetections.inc();
        }
        // A dead refresh cookie is dropped so the browser stops offering it.
        if (fromCookie) await context.clearSession();
        throw unauthenticated(result.failure);
      }
      return deliverTokens(context, result.user, result, fromCookie ? 'COOKIE' : 'BEARER');
    },
  }),
);

builder.mutationField('logout', (t) =>
  t.field({
    type: 'Boolean',
    description:
      'Ends the session named by the refresh token (the argument, or else the cookie), or else by the access token, and clears the cookies. Idempotent.',
    args: { refreshToken: t.arg.string({ required: false }) },
    resolve: async (_root, args, context) => {
      const refreshToken = args.refreshToken ?? (await context.refreshTokenCookie());
      const session = refreshToken ? await findSessionByRefreshToken(context.em(), refreshToken) : undefined;
      const target = session
        ? { userId: session.user.id, sessionId: session.id }
        : await context.viewer().catch(() => undefined);
      if (target) {
        const now = context.now();
        const revoked = await revokeSessions(context.em(), { ...target, reason: 'logout', now });
        context.sessionsEnded(revoked, 'logout');
      }
      await context.clearSession();
      return true;
    },
  }),
);
