import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { announce } from '../announcer.ts';
import type { AuthPayloadInput } from '../auth/index.ts';
import { isDeadChallengeError } from '../error-messages.ts';
import { graphql } from '../gql';
import { authenticateWithPasskey } from '../passkey-ceremony.ts';
import type { LoginChallenge } from '../second-factor.ts';
import { useServerErrors } from '../use-server-errors.ts';
import { Field } from './field.tsx';
import { FormAlert } from './form-alert.tsx';
import { SubmitButton } from './submit-button.tsx';

const CompleteLoginMutation = graphql(`
  mutation CompleteLogin($challenge: String!, $code: String, $passkeyResponse: String) {
    completeLogin(challenge: $challenge, code: $code, passkeyResponse: $passkeyResponse) {
      ...AuthPayloadFields
    }
  }
`);

const PasskeySecondFactorOptionsMutation = graphql(`
  mutation PasskeySecondFactorOptions($challenge: String) {
    passkeySecondFactorOptions(challenge: $challenge)
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
  const [, passkeyOptions] = useMutation(PasskeySecondFactorOptionsMutation);
  const [code, setCode] = useState('');
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const [passkeyRefusal, setPasskeyRefusal] = useState<string>();
  const errors = useServerErrors(INPUTS);
  const input = useRef<HTMLInputElement>(null);
  const passkeyButton = useRef<HTMLButtonElement>(null);
  const byCode = challenge.methods.includes('TOTP') || challenge.methods.includes('RECOVERY_CODE');
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

  const refusePasskey = (text: string) => {
    setPasskeyBusy(false);
    setPasskeyRefusal(text);
    announce(text);
  };

  const proveWithPasskey = async () => {
    setPasskeyRefusal(undefined);
    errors.report(undefined);
    setPasskeyBusy(true);
    const options = await passkeyOptions({ challenge: challenge.challenge });
    if (!options.data) {
      setPasskeyBusy(false);
      if (options.error && isDeadChallengeError(options.error)) return onChallengeDead(options.error);
      return errors.report(options.error);
    }
    const ceremony = await authenticateWithPasskey(options.data.passkeySecondFactorOptions);
    if (!ceremony.ok) return refusePasskey(ceremony.message);
    const result = await completeLogin({ challenge: challenge.challenge, passkeyResponse: ceremony.response });
    setPasskeyBusy(false);
    await finish(result);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(code.trim() ? {} : { code: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.' })) return;
    setPasskeyRefusal(undefined);
    await finish(await completeLogin({ challenge: challenge.challenge, code }));
  };

  return (
    <form className="form" ref={errors.formRef} onSubmit={submit} noValidate data-step="second-factor">
      {errors.formMessage && <FormAlert tone="error">{errors.formMessage}</FormAlert>}
      {passkeyRefusal && !errors.formMessage && <FormAlert tone="error">{passkeyRefusal}</FormAlert>}
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
          <SubmitButton busy={fetching && !passkeyBusy} busyLabel="Checking…" disabled={errors.waiting || passkeyBusy} block>
            Verify
          </SubmitButton>
        </>
      )}
      {byPasskey && (
        <button
          type="button"
          ref={passkeyButton}
          className={`button button-${byCode ? 'secondary' : 'primary'} button-block`}
          aria-disabled={passkeyBusy || errors.waiting || undefined}
          aria-busy={passkeyBusy || undefined}
          onClick={passkeyBusy || errors.waiting ? undefined : () => void proveWithPasskey()}
        >
          {passkeyBusy ? 'Waiting for your passkey…' : 'Use a passkey'}
        </button>
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
