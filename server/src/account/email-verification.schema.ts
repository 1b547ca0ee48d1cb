import { builder } from '../builder.ts';
import { UserRef } from '../user/user.schema.ts';
import { sendVerificationEmail, verifyEmail } from './email-verification.ts';

builder.mutationField('sendVerificationEmail', (t) =>
  t.field({
    type: 'Boolean',
    description: "Emails the signed-in user a fresh link that proves the address (older links stop working); sends nothing when it is already verified.",
    resolve: (_root, _args, context) => sendVerificationEmail(context),
  }),
);

builder.mutationField('verifyEmail', (t) =>
  t.field({
    type: UserRef,
    description: 'Marks the address verified with the token of an emailed link (single use). Needs no login: the link proves possession.',
    args: { token: t.arg.string({ required: true }) },
    resolve: (_root, { token }, context) => verifyEmail(context, token),
  }),
);
