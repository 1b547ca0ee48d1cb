import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { announce } from '../announcer.ts';
import type { AuthPayloadInput } from '../auth/index.ts';
import { fieldRule, isDeadChallengeError } from '../error-messages.ts';
import { graphql } from '../gql';
import { acceptsCode, type LoginChallenge } from '../second-factor.ts';
import { usePasskeyProof } from '../use-passkey-proof.ts';
import { useServerErrors } from '../use-server-errors.ts';
import { Field } from './field.tsx';
import { FormAlert } from './form-alert.tsx';
import { PasskeyButton } from './passkey-button.tsx';
import { SubmitButton } from './submit-button.tsx';

const CompleteLoginMutation = graphql(`
  mutation CompleteLogin($challenge: String!, $code: String, $passkeyResponse: String) {
    completeLogin(challenge: $challenge, code: $code, passkeyResponse: $passkeyResponse) {
      ...AuthPayloadFields
    }
  }
`);

const INPUTS = ['code'] as const;

/** Said when the step appears: the password was right, one more thing to do (with a code, or a passkey only). */
export const SECOND_STEP_ANNOUNCEMENT = 'Password accepted. Enter the code from your authenticator app, or a recovery code, to finish logging in.';
const PASSKEY_STEP_ANNOUNCEMENT = 'Password accepted. Use your passkey to finish logging in.';

/**
 * The second step of a login (or a password reset) that answered `SECOND_FACTOR_REQUIRED`: a code
 * from the authenticator app or a recovery code, or "Use a passkey" when the account has one. Focus moves to the code field as the step
 * appears, and the step is announced. A dead challenge (expired, out of tries, spent) goes back to
 * the first step through `onChallengeDead`, with the server's refusal to show there.
 */
export function SecondFactorStep({
  challenge,
  onSignedIn,
  onChallengeDead,
  onBack,
}: {
  challenge: LoginChallenge;
  onSignedIn(payload: AuthPayloadInput): Promise<void>;
  onChallengeDead(error: CombinedError): void;
  onBack?: () => void;
}) {
  const [{ fetching }, completeLogin] = useMutation(CompleteLoginMutation);
  const passkey = usePasskeyProof();
  const [code, setCode] = useState('');
  const errors = useServerErrors(INPUTS);
  const input = useRef<HTMLInputElement>(null);
  const passkeyButton = useRef<HTMLButtonElement>(null);
  const byCode = acceptsCode(challenge.methods);
  const byPasskey = challenge.methods.includes('PASSKEY');

  // Once per challenge, also under StrictMode's second run of effects.
  const arrivedFor = useRef<string>(undefined);
  useEffect(() => {
    if (arrivedFor.current === challenge.challenge) return;
    arrivedFor.current = challenge.challenge;
    (byCode ? input : passkeyButton).current?.focus();
    announce(byCode ? SECOND_STEP_ANNOUNCEMENT : PASSKEY_STEP_ANNOUNCEMENT);
  }, [challenge.challenge, byCode]);

  const finish = async (result: Awaited<ReturnType<typeof completeLogin>>) => {
    if (result.data) return onSignedIn(result.data.completeLogin);
    if (result.error && isDeadChallengeError(result.error)) return onChallengeDead(result.error);
    errors.report(result.error);
  };

  const proveWithPasskey = async () => {
    errors.report(undefined);
    const outcome = await passkey.prove(challenge.challenge, (passkeyResponse) => completeLogin({ challenge: challenge.challenge, passkeyResponse }));
    if (!outcome) return;
    if ('answer' in outcome) return finish(outcome.answer);
    const refused = outcome.optionsRefused;
    if (refused && isDeadChallengeError(refused)) return onChallengeDead(refused);
    errors.report(refused);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(code.trim() ? {} : { code: fieldRule('code') })) return;
    passkey.clearRefusal();
    await finish(await completeLogin({ challenge: challenge.challenge, code }));
  };

  return (
    <form className="form" ref={errors.formRef} onSubmit={submit} noValidate data-step="second-factor">
      {errors.formMessage && <FormAlert tone="error">{errors.formMessage}</FormAlert>}
      {passkey.refusal && !errors.formMessage && <FormAlert tone="error">{passkey.refusal}</FormAlert>}
      {byCode && (
        <>
          <Field
            label="Authentication code"
            name="code"
            autoComplete="one-time-code"
            spellCheck={false}
            autoCapitalize="off"
            value={code}
            onChange={setCode}
            error={errors.fields.code}
            hint="The 6 digits your authenticator app shows, or one of your recovery codes."
            inputRef={input}
          />
          <SubmitButton busy={fetching && !passkey.busy} busyLabel="Checking…" disabled={errors.waiting || passkey.busy} block>
            Verify
          </SubmitButton>
        </>
      )}
      {byPasskey && (
        <PasskeyButton busy={passkey.busy} waiting={errors.waiting} primary={!byCode} block buttonRef={passkeyButton} onUse={() => void proveWithPasskey()} />
      )}
      {onBack && (
        <p className="form-aside">
          <button type="button" className="button button-quiet" onClick={onBack}>
            Use another account
          </button>
        </p>
      )}
    </form>
  );
}
