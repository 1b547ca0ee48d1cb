import { builder } from '../builder.ts';
import { forbidden } from '../errors.ts';
import { isUuid } from '../uuid.ts';
import type { Session } from '../database/entities/session.entity.ts';
import { findUsersSession, listLiveSessions, revokeSessions, sessionExpiresAt } from './session-store.ts';

const SessionRef = builder.objectRef<Session>('Session').implement({
  description: 'One login on one device.',
  fields: (t) => ({
    id: t.exposeID('id'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime' }),
    expiresAt: t.field({ type: 'DateTime', resolve: (session) => sessionExpiresAt(session) }),
    userAgent: t.exposeString('userAgent', { nullable: true }),
    ip: t.exposeString('ip', { nullable: true }),
    current: t.boolean({
      description: 'Whether this is the session making the request.',
      resolve: async (session, _args, context) => session.id === (await context.viewer()).sessionId,
    }),
  }),
});

builder.queryField('sessions', (t) =>
  t.field({
    type: [SessionRef],
    description: "The signed-in user's live sessions, most recently used first.",
    resolve: async (_root, _args, context) => {
      const { userId } = await context.viewer();
      return listLiveSessions(context.em(), userId, context.now());
    },
  }),
);

builder.mutationField('logoutAll', (t) =>
  t.field({
    type: 'Int',
    description: "Ends all of the user's sessions, or all but this one; returns how many ended.",
    args: { exceptCurrent: t.arg.boolean({ defaultValue: false }) },
    resolve: async (_root, { exceptCurrent }, context) => {
      const viewer = await context.viewer();
      const now = context.now();
      const revoked = await revokeSessions(context.em(), {
        userId: viewer.userId,
        exceptSessionId: exceptCurrent ? viewer.sessionId : undefined,
        reason: 'logout_all',
        now,
      });
      context.sessionsEnded(revoked, 'logout_all');
      if (!exceptCurrent) await context.clearSession();
      return revoked.length;
    },
  }),
);

builder.mutationField('revokeSession', (t) =>
  t.field({
    type: 'Boolean',
    description: "Ends one of the user's sessions, for instance a lost device.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      const viewer = await context.viewer();
      // Ids are issued lower-case; one spelled otherwise names the same session.
      const sessionId = id.toLowerCase();
      const session = isUuid(sessionId) ? await findUsersSession(context.em(), viewer.userId, sessionId) : undefined;
      // Unknown and foreign sessions get the same answer, so ids cannot be probed.
      if (!session) throw forbidden('You can only end your own sessions.');
      const revoked = await revokeSessions(context.em(), { userId: viewer.userId, sessionId, reason: 'revoked', now: context.now() });
      context.sessionsEnded(revoked, 'revoked');
      if (sessionId === viewer.sessionId) await context.clearSession();
      return true;
    },
  }),
);
