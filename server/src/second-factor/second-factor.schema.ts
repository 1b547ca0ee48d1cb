import { builder } from '../builder.ts';
import { AuthPayloadRef, TokenTransport } from '../auth/auth.schema.ts';
import { UserRef } from '../user/user.schema.ts';
import { completeLoginWithCode } from './complete-login.ts';
import { completeLoginWithPasskey, oneFactor, passkeySecondFactorOptions } from './passkey-factor.ts';
import { countRecoveryCodes } from './recovery-codes.ts';
import { parseSecondFactorCode } from './second-factor-code.ts';
import { verifySecondFactor } from './second-factor-verification.ts';
import { totpEnabled } from './totp-store.ts';
import { beginTotpEnrollment, confirmTotpEnrollment, disableTotp, regenerateRecoveryCodes } from './totp-enrollment.ts';

interface SecondFactors {
  totpEnabled: boolean;
  recoveryCodesLeft: number;
}

const SecondFactorsRef = builder.objectRef<SecondFactors>('SecondFactors').implement({
  description: "The account's second factors, for its security page.",
  fields: (t) => ({
    totpEnabled: t.exposeBoolean('totpEnabled', { description: 'Whether an authenticator app is on (confirmed with a code).' }),
    recoveryCodesLeft: t.exposeInt('recoveryCodesLeft', { description: 'Recovery codes not yet used.' }),
  }),
});

const TotpEnrollmentRef = builder.objectRef<{ secret: string; uri: string }>('TotpEnrollment').implement({
  description: 'A pending authenticator app: show the URI as a QR code (or the secret to type in), then confirm with a code.',
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'The shared secret, base32.' }),
    uri: t.exposeString('uri', { description: 'The otpauth://totp/ URI: issuer APP_NAME, the account email, SHA-1, 6 digits, 30 s.' }),
  }),
});

builder.objectField(UserRef, 'secondFactors', (t) =>
  t.field({
    type: SecondFactorsRef,
    resolve: async (user, _args, context) => {
      const em = context.em();
      return { totpEnabled: await totpEnabled(em, user.id), recoveryCodesLeft: await countRecoveryCodes(em, user.id) };
    },
  }),
);

builder.mutationField('completeLogin', (t) =>
  t.field({
    type: AuthPayloadRef,
    description:
      'Finishes a login (or password reset) that answered SECOND_FACTOR_REQUIRED: the challenge from that error and either a code (from the authenticator app, or a recovery code) or a passkey response (the JSON of the browser\'s authentication result for passkeySecondFactorOptions(challenge)). Answers like login.',
    args: {
      challenge: t.arg.string({ required: true }),
      code: t.arg.string({ required: false }),
      passkeyResponse: t.arg.string({ required: false }),
      transport: t.arg({ type: TokenTransport, defaultValue: 'COOKIE' }),
      deviceToken: t.arg.string({ required: false, description: 'The deviceToken of an earlier BEARER login, as for LoginInput.deviceToken; browsers send a cookie instead.' }),
    },
    resolve: async (_root, { challenge, code, passkeyResponse, transport, deviceToken }, context) => {
      const factor = oneFactor({ code, passkeyResponse });
      const via = transport ?? 'COOKIE';
      const presentedDeviceToken = via === 'BEARER' ? (deviceToken ?? undefined) : await context.deviceTokenCookie();
      if ('passkeyResponse' in factor) return completeLoginWithPasskey(context, { challenge, passkeyResponse: factor.passkeyResponse, transport: via, presentedDeviceToken });
      return completeLoginWithCode(context, { challenge, code: parseSecondFactorCode('code', factor.code), transport: via, presentedDeviceToken });
    },
  }),
);

builder.mutationField('beginTotpEnrollment', (t) =>
  t.field({
    type: TotpEnrollmentRef,
    description: 'Starts setting up an authenticator app: a new secret, pending until confirmTotpEnrollment. Changes nothing else.',
    resolve: (_root, _args, context) => beginTotpEnrollment(context),
  }),
);

builder.mutationField('confirmTotpEnrollment', (t) =>
  t.field({
    type: ['String'],
    description: 'Turns the pending authenticator app on with a code from it, and returns ten recovery codes: show them once, they are not kept readable.',
    args: { code: t.arg.string({ required: true }) },
    resolve: (_root, { code }, context) => confirmTotpEnrollment(context, code),
  }),
);

builder.mutationField('disableTotp', (t) =>
  t.field({
    type: 'Boolean',
    description: 'Turns the authenticator app off and deletes the recovery codes. Needs a second factor on this session within 10 minutes (STEP_UP_REQUIRED).',
    resolve: (_root, _args, context) => disableTotp(context),
  }),
);

builder.mutationField('regenerateRecoveryCodes', (t) =>
  t.field({
    type: ['String'],
    description: 'Replaces every recovery code with ten new ones. Needs a second factor on this session within 10 minutes (STEP_UP_REQUIRED).',
    resolve: (_root, _args, context) => regenerateRecoveryCodes(context),
  }),
);

builder.mutationField('verifySecondFactor', (t) =>
  t.field({
    type: 'Boolean',
    description:
      "Proves a second factor on this session, so sensitive changes are allowed for the next 10 minutes: a code (authenticator app or recovery code) or a passkey response (the JSON of the browser's authentication result for passkeySecondFactorOptions).",
    args: { code: t.arg.string({ required: false }), passkeyResponse: t.arg.string({ required: false }) },
    resolve: (_root, { code, passkeyResponse }, context) => verifySecondFactor(context, oneFactor({ code, passkeyResponse })),
  }),
);

builder.mutationField('passkeySecondFactorOptions', (t) =>
  t.field({
    type: 'String',
    description:
      "A passkey as the second factor: the JSON of PublicKeyCredentialRequestOptions for the account's passkeys, for the login of `challenge` (SECOND_FACTOR_REQUIRED's), or without it for the signed-in account (before a change that answered STEP_UP_REQUIRED). Valid for 5 minutes, once.",
    args: { challenge: t.arg.string({ required: false }) },
    resolve: (_root, { challenge }, context) => passkeySecondFactorOptions(context, { challenge }),
  }),
);
