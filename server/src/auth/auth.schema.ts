import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { builder } from '../builder.ts';
import type { GraphQLContext } from '../context.ts';
import { emailTaken, invalidCredentials, unauthenticated } from '../errors.ts';
import { User } from '../user/user.entity.ts';
import { UserRef } from '../user/user.schema.ts';
import { normalizeEmail, validateEmail, validateName } from '../user/user-input.ts';
import { deliverTokens, type AuthPayload } from './auth-payload.ts';
import { hashCost, hashPassword, validatePassword, verifyPassword } from './password.ts';
import { findSessionByRefreshToken, revokeSessions, rotateRefreshToken, startSession } from './sessions.ts';

const TokenTransport = builder.enumType('TokenTransport', {
  description: 'How tokens travel: HttpOnly cookies for browsers, or in the payload for other programs.',
  values: ['COOKIE', 'BEARER'] as const,
});

const AuthPayloadRef = builder.objectRef<AuthPayload>('AuthPayload').implement({
  fields: (t) => ({
    user: t.field({ type: UserRef, resolve: (payload) => payload.user }),
    accessTokenExpiresAt: t.expose('accessTokenExpiresAt', { type: 'DateTime' }),
    refreshTokenExpiresAt: t.expose('refreshTokenExpiresAt', { type: 'DateTime' }),
    accessToken: t.exposeString('accessToken', { nullable: true, description: 'Only for transport BEARER; null for COOKIE.' }),
    refreshToken: t.exposeString('refreshToken', { nullable: true, description: 'Only for transport BEARER; null for COOKIE.' }),
  }),
});

const SignupInput = builder.inputType('SignupInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    name: t.string({ required: true }),
  }),
});

const LoginInput = builder.inputType('LoginInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
  }),
});

function sessionPolicy(context: GraphQLContext) {
  const { refreshIdleTtlMs, sessionMaxAgeMs, refreshGraceMs } = context.config;
  return { refreshIdleTtlMs, sessionMaxAgeMs, refreshGraceMs };
}

function deviceOf(context: GraphQLContext) {
  return { userAgent: context.userAgent, ip: context.clientIp };
}

builder.mutationField('signup', (t) =>
  t.field({
    type: AuthPayloadRef,
    description: 'Creates an account and logs it in.',
    args: {
      input: t.arg({ type: SignupInput, required: true }),
      transport: t.arg({ type: TokenTransport, defaultValue: 'COOKIE' }),
    },
    resolve: async (_root, { input, transport }, context) => {
      const email = validateEmail(input.email);
      const name = validateName(input.name);
      const password = validatePassword('password', input.password);
      const { em } = context;
      if ((await em.count(User, { email })) > 0) throw emailTaken();
      const passwordHash = await hashPassword(password, context.config.bcryptCost);
      const user = em.create(User, { email, name, avatarUrl: null, passwordHash });
      const issued = startSession(em, { userId: user.id, ...deviceOf(context), now: context.now(), policy: sessionPolicy(context) });
      try {
        await em.flush();
      } catch (error) {
        // Two sign-ups racing for one email: the unique index decides.
        if (error instanceof UniqueConstraintViolationException) throw emailTaken();
        throw error;
      }
      return deliverTokens(context, user, issued, transport ?? 'COOKIE');
    },
  }),
);

builder.mutationField('login', (t) =>
  t.field({
    type: AuthPayloadRef,
    description: 'Logs in with email and password, starting a new session.',
    args: {
      input: t.arg({ type: LoginInput, required: true }),
      transport: t.arg({ type: TokenTransport, defaultValue: 'COOKIE' }),
    },
    resolve: async (_root, { input, transport }, context) => {
      const { em, config } = context;
      const user = await em.findOne(User, { email: normalizeEmail(input.email) }, { populate: ['passwordHash'] });
      // Unknown emails are checked against a dummy hash, so timing does not tell which emails exist.
      const matches = await verifyPassword(input.password, user?.passwordHash ?? context.dummyPasswordHash);
      if (!user || !matches) throw invalidCredentials();
      if (hashCost(user.passwordHash) < config.bcryptCost) user.passwordHash = await hashPassword(input.password, config.bcryptCost);
      const issued = startSession(em, { userId: user.id, ...deviceOf(context), now: context.now(), policy: sessionPolicy(context) });
      await em.flush();
      return deliverTokens(context, user, issued, transport ?? 'COOKIE');
    },
  }),
);

builder.mutationField('refresh', (t) =>
  t.field({
    type: AuthPayloadRef,
    description: 'Exchanges a refresh token (the argument, or else the refresh cookie) for new tokens.',
    args: { refreshToken: t.arg.string({ required: false }) },
    resolve: async (_root, args, context) => {
      const fromCookie = args.refreshToken === undefined || args.refreshToken === null;
      const refreshToken = fromCookie ? await context.refreshTokenCookie() : args.refreshToken;
      if (refreshToken === undefined || refreshToken === null) throw unauthenticated('TOKEN_MISSING');
      const result = await rotateRefreshToken(context.em, refreshToken, { now: context.now(), policy: sessionPolicy(context) });
      if ('failure' in result) {
        if (result.revokedSessionId) context.revocations.add([result.revokedSessionId], context.now());
        // A dead refresh cookie is dropped so the browser stops offering it.
        if (fromCookie) await context.clearSession();
        throw unauthenticated(result.failure);
      }
      const user = await context.em.findOne(User, { id: result.session.user.id });
      if (!user) throw unauthenticated('SESSION_REVOKED');
      return deliverTokens(context, user, result, fromCookie ? 'COOKIE' : 'BEARER');
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
      const session = refreshToken ? await findSessionByRefreshToken(context.em, refreshToken) : undefined;
      const target = session
        ? { userId: session.user.id, sessionId: session.id }
        : await context.viewer().catch(() => undefined);
      if (target) {
        const now = context.now();
        const revoked = await revokeSessions(context.em, { ...target, reason: 'logout', now });
        context.revocations.add(revoked, now);
      }
      await context.clearSession();
      return true;
    },
  }),
);
