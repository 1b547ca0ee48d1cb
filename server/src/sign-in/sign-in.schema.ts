import { builder } from '../builder.ts';
import { AuthPayloadRef, TokenTransport } from '../auth/auth.schema.ts';
import { logIn, signUp } from './sign-in.ts';

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
    deviceToken: t.string({ required: false, description: 'The deviceToken of an earlier BEARER login; browsers send a cookie instead.' }),
  }),
});

builder.mutationField('signup', (t) =>
  t.field({
    type: AuthPayloadRef,
    description: 'Creates an account, logs it in and emails a link that proves the address. With REQUIRE_EMAIL_VERIFICATION: creates the account and emails the link, but answers EMAIL_NOT_VERIFIED without a session.',
    args: {
      input: t.arg({ type: SignupInput, required: true }),
      transport: t.arg({ type: TokenTransport, defaultValue: 'COOKIE' }),
    },
    resolve: (_root, { input, transport }, context) => signUp(context, input, transport ?? 'COOKIE'),
  }),
);

builder.mutationField('login', (t) =>
  t.field({
    type: AuthPayloadRef,
    description: 'Logs in with email and password, starting a new session. With REQUIRE_EMAIL_VERIFICATION, an unverified account answers EMAIL_NOT_VERIFIED after the right password (and gets a fresh link).',
    args: {
      input: t.arg({ type: LoginInput, required: true }),
      transport: t.arg({ type: TokenTransport, defaultValue: 'COOKIE' }),
    },
    resolve: (_root, { input, transport }, context) => logIn(context, input, transport ?? 'COOKIE'),
  }),
);
