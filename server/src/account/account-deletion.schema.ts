import { builder } from '../builder.ts';
import { deleteAccount } from './account-deletion.ts';

builder.mutationField('deleteAccount', (t) =>
  t.field({
    type: 'Boolean',
    description: 'Deletes the signed-in account and everything kept about it, ends its sessions, clears the cookies and emails a goodbye.',
    args: { currentPassword: t.arg.string({ required: true }) },
    resolve: (_root, { currentPassword }, context) => deleteAccount(context, currentPassword),
  }),
);
