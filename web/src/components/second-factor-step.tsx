import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { announce } from '../announcer.ts';
import type { AuthPayloadInput } from '../auth/index.ts';
import { isDeadChallengeError } from '../error-messages.ts';
import { graphql } from '../gql';
import type { LoginChallenge } from '../second-factor.ts';
import { useServerErrors } from '../use-server-errors.ts';
import { Field } from './field.tsx';
import { FormAlert } from './form-alert.tsx';
import { SubmitButton } from './submit-button.tsx';

const CompleteLoginMutation = graphql(`
  mutation CompleteLogin($challenge: String!, $code: String!) {
    completeLogin(challenge: $challenge, code: $code) {
      ...AuthPayloadFields
    }
  }
`);

const INPUTS = ['code'] as const;

/** Said when the step appears: the password was right, one more thing to do. */
export const SECOND_STEP_ANNOUNCEMENT = 'Password accepted. Enter the code from your authenticator app, or a recovery code, to finish logging in.';

/**
 * The second step of a login (or a password reset) that answered `SECOND_FACTOR_REQUIRED`: a code
 * from the authenticator app or a recovery code. Focus moves to the code field as the step
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
  const [code, setCode] = useState('');
  const errors = useServerErrors(INPUTS);
  const input = useRef<HTMLInputElement>(null);

  // Once per challenge, also under StrictMode's second run of effects.
  const arrivedFor = useRef<string>(undefined);
  useEffect(() => {
    if (arrivedFor.current === challenge.challenge) return;
    arrivedFor.current = challenge.challenge;
    input.current?.focus();
    announce(SECOND_STEP_ANNOUNCEMENT);
  }, [challenge.challenge]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(code.trim() ? {} : { code: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.' })) return;
    const result = await completeLogin({ challenge: challenge.challenge, code });
    if (result.data) return onSignedIn(result.data.completeLogin);
    if (result.error && isDeadChallengeError(result.error)) return onChallengeDead(result.error);
    errors.report(result.error);
  };

  return (
    <form className="form" ref={errors.formRef} onSubmit={submit} noValidate data-step="second-factor">
      {errors.formMessage && <FormAlert tone="error">{errors.formMessage}</FormAlert>}
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
      <SubmitButton busy={fetching} busyLabel="Checking…" disabled={errors.waiting} block>
        Verify
      </SubmitButton>
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
