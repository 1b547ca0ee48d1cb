import { builder } from '../builder.ts';
import { AuthPayloadRef, TokenTransport } from '../auth/auth.schema.ts';
import { requestPasswordReset, resetPassword } from './password-reset.ts';

builder.mutationField('requestPasswordReset', (t) =>
  t.field({
    type: 'Boolean',
    description: 'Emails a link to choose a new password, if the email has an account. Always answers true, in the same time, whether it has one or not.',
    args: { email: t.arg.string({ required: true }) },
    resolve: (_root, { email }, context) => requestPasswordReset(context, email),
  }),
);

builder.mutationField('resetPassword', (t) =>
  t.field({
    type: AuthPayloadRef,
    description:
      'Sets a new password with the token of an emailed link (single use), ends every session of the account, marks its email verified and logs in on this device.',
    args: {
      token: t.arg.string({ required: true }),
      newPassword: t.arg.string({ required: true }),
      transport: t.arg({ type: TokenTransport, defaultValue: 'COOKIE' }),
    },
    resolve: (_root, { token, newPassword, transport }, context) => resetPassword(context, { token, newPassword }, transport ?? 'COOKIE'),
  }),
);
