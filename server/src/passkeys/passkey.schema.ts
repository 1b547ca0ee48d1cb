import { builder } from '../builder.ts';
import { forbidden } from '../errors.ts';
import { isUuid } from '../uuid.ts';
import { AuthPayloadRef, TokenTransport } from '../auth/auth.schema.ts';
import { logInWithPasskey, passkeyLoginOptions } from '../auth/passkey-authentication.ts';
import { passkeyRegistrationOptions, registerPasskey, validatePasskeyName } from './passkey-registration.ts';
import { listPasskeys, removePasskey, renamePasskey, type PasskeySummary } from '../auth/passkey-store.ts';
import { requireRecentSecondFactor } from '../second-factor/step-up.ts';

const PasskeyRef = builder.objectRef<PasskeySummary>('Passkey').implement({
  description: 'A passkey (WebAuthn credential) that signs in to this account.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', { description: "The owner's name for it, e.g. the device it lives on." }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true, description: 'The last sign-in with it; null until the first.' }),
  }),
});

/** Ids are issued lower-case; unknown, malformed and foreign ids get one answer, so ids cannot be probed. */
const passkeyIdOf = (id: string) => {
  const passkeyId = id.toLowerCase();
  if (!isUuid(passkeyId)) throw notYourPasskey();
  return passkeyId;
};
const notYourPasskey = () => forbidden('You can only change your own passkeys.');

builder.queryField('passkeys', (t) =>
  t.field({
    type: [PasskeyRef],
    description: "The signed-in user's passkeys, newest first.",
    resolve: async (_root, _args, context) => listPasskeys(context.em(), (await context.viewer()).userId),
  }),
);

builder.mutationField('passkeyRegistrationOptions', (t) =>
  t.field({
    type: 'String',
    description:
      'Begins adding a passkey to the signed-in account: the JSON of PublicKeyCredentialCreationOptions for navigator.credentials.create() (e.g. @simplewebauthn/browser startRegistration). Valid for 5 minutes, once.',
    resolve: async (_root, _args, context) => {
      const viewer = await context.viewer();
      // A stolen session must not add a factor of its own to an account that already has one.
      await requireRecentSecondFactor(context, viewer);
      return passkeyRegistrationOptions(context, viewer.userId);
    },
  }),
);

builder.mutationField('registerPasskey', (t) =>
  t.field({
    type: PasskeyRef,
    description: "Finishes adding a passkey: `response` is the JSON of the browser's registration result, `name` 1 to 64 characters.",
    args: { response: t.arg.string({ required: true }), name: t.arg.string({ required: true }) },
    resolve: async (_root, { response, name }, context) => {
      const viewer = await context.viewer();
      await requireRecentSecondFactor(context, viewer);
      return registerPasskey(context, viewer, { response, name });
    },
  }),
);

builder.mutationField('renamePasskey', (t) =>
  t.field({
    type: PasskeyRef,
    description: "Renames one of the signed-in user's passkeys.",
    args: { id: t.arg.id({ required: true }), name: t.arg.string({ required: true }) },
    resolve: async (_root, { id, name }, context) => {
      const { userId } = await context.viewer();
      const renamed = await renamePasskey(context.em(), { userId, id: passkeyIdOf(id), name: validatePasskeyName(name) });
      if (!renamed) throw notYourPasskey();
      return renamed;
    },
  }),
);

builder.mutationField('removePasskey', (t) =>
  t.field({
    type: 'Boolean',
    description: "Removes one of the signed-in user's passkeys; it can no longer sign in.",
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, { id }, context) => {
      const viewer = await context.viewer();
      await requireRecentSecondFactor(context, viewer);
      if (!(await removePasskey(context.em(), { userId: viewer.userId, id: passkeyIdOf(id) }))) throw notYourPasskey();
      return true;
    },
  }),
);

builder.mutationField('passkeyLoginOptions', (t) =>
  t.field({
    type: 'String',
    description:
      'Begins a login with a passkey alone (no email): the JSON of PublicKeyCredentialRequestOptions for navigator.credentials.get() (e.g. @simplewebauthn/browser startAuthentication), with no allowCredentials, so the browser offers the passkeys it holds for this site. Valid for 5 minutes, once.',
    resolve: (_root, _args, context) => passkeyLoginOptions(context),
  }),
);

builder.mutationField('loginWithPasskey', (t) =>
  t.field({
    type: AuthPayloadRef,
    description: "Logs in with a passkey: `response` is the JSON of the browser's authentication result. Answers like login: cookies, or tokens in the payload for BEARER.",
    args: {
      response: t.arg.string({ required: true }),
      transport: t.arg({ type: TokenTransport, defaultValue: 'COOKIE' }),
    },
    resolve: (_root, { response, transport }, context) => logInWithPasskey(context, response, transport ?? 'COOKIE'),
  }),
);
