import { builder } from '../builder.ts';
import { UserRef } from '../user/user.schema.ts';
import { changeEmail, confirmEmailChange } from './email-change.ts';

builder.mutationField('changeEmail', (t) =>
  t.field({
    type: 'Boolean',
    description:
      'Asks to move the account to a new address: emails a link to the new address and a notice to the current one. Nothing changes until the link is followed.',
    args: {
      newEmail: t.arg.string({ required: true }),
      currentPassword: t.arg.string({ required: true }),
    },
    resolve: (_root, { newEmail, currentPassword }, context) => changeEmail(context, { newEmail, currentPassword }),
  }),
);

builder.mutationField('confirmEmailChange', (t) =>
  t.field({
    type: UserRef,
    description: 'Moves the account to the address the link was sent to, marked verified (single use). Needs no login: the link proves possession.',
    args: { token: t.arg.string({ required: true }) },
    resolve: (_root, { token }, context) => confirmEmailChange(context, token),
  }),
);
