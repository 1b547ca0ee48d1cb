import { builder } from '../builder.ts';
import { unauthenticated } from '../errors.ts';
import type { GraphQLContext } from '../builder.ts';
import { User } from '../database/entities/user.entity.ts';
import type { UserProfile } from './user-profile.ts';
import { announceProfileChange } from './profile-cache.ts';
import { validateAvatarUrl, validateName } from './user-input.ts';

export const UserRef = builder.objectRef<UserProfile>('User').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name'),
    avatarUrl: t.exposeString('avatarUrl', { nullable: true }),
    emailVerified: t.exposeBoolean('emailVerified', { description: 'Whether the owner proved the address by following a link sent to it.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

/** The signed-in user; a token whose user no longer exists is as good as revoked. */
export async function loadViewerUser(context: GraphQLContext): Promise<User> {
  const { userId } = await context.viewer();
  const user = await context.em().findOne(User, { id: userId });
  if (!user) throw unauthenticated('SESSION_REVOKED');
  return user;
}

builder.queryField('me', (t) =>
  t.field({
    type: UserRef,
    description: 'The signed-in user.',
    resolve: async (_root, _args, context) => {
      const { userId } = await context.viewer();
      const profile = await context.profiles.read(context.pool, userId, context.now());
      if (!profile) throw unauthenticated('SESSION_REVOKED');
      return profile;
    },
  }),
);

builder.mutationField('updateProfile', (t) =>
  t.field({
    type: UserRef,
    description: 'Changes the name and avatar; an omitted argument stays as it is, a null avatarUrl removes the avatar.',
    args: {
      name: t.arg.string({ required: false }),
      avatarUrl: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, context) => {
      const user = await loadViewerUser(context);
      if (args.name !== undefined && args.name !== null) user.name = validateName(args.name);
      if (args.avatarUrl === null) user.avatarUrl = null;
      else if (args.avatarUrl !== undefined) user.avatarUrl = validateAvatarUrl(args.avatarUrl);
      const em = context.em();
      // The change and its announcement commit together: no instance keeps the old profile longer than a notification takes.
      await em.begin();
      try {
        await em.flush();
        await announceProfileChange(em, user.id);
        await em.commit();
      } catch (error) {
        await em.rollback();
        throw error;
      }
      context.profiles.forget(user.id);
      return user;
    },
  }),
);
