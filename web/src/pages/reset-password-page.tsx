import { useEffect, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { takeAddressToken } from '../address-token.ts';
import { announce } from '../announcer.ts';
import { AuthFrame } from '../components/auth-layout.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { SecondFactorStep } from '../components/second-factor-step.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { INVALID_LINK, isInvalidLinkError } from '../error-messages.ts';
import type { AuthPayloadInput } from '../auth/index.ts';
import { checkNewPassword, mistakesOf } from '../field-checks.ts';
import { graphql } from '../gql';
import { Link, navigate } from '../router.tsx';
import { loginChallengeOf, type LoginChallenge } from '../second-factor.ts';
import { useAuth } from '../session.ts';
import { usePageArrival } from '../use-page-arrival.ts';
import { useServerErrors } from '../use-server-errors.ts';
import { NewPasswordFields } from '../components/new-password-fields.tsx';

const ResetPasswordMutation = graphql(`
  mutation ResetPassword($token: String!, $newPassword: String!) {
    resetPassword(token: $token, newPassword: $newPassword) {
      ...AuthPayloadFields
    }
  }
`);

const INPUTS = ['newPassword'] as const;

/** Said on the page the user lands on, and to screen readers. */
const PASSWORD_RESET = 'Your password was reset and you are logged in. Every other device was logged out.';

/** The new password holds, but the second step was not finished in time: the way on is the login page. */
const FINISH_BY_LOGGING_IN = 'Your new password is saved, but this sign-in timed out. Log in with your new password.';

/** The link is spent, replaced or expired (or the address had none): say so, and offer a new one. */
function InvalidLink() {
  return (
    <div className="form">
      <FormAlert tone="error">{INVALID_LINK}</FormAlert>
      <Link to="/forgot-password" className="button button-primary button-block">
        Request a new link
      </Link>
    </div>
  );
}

/**
 * `/reset-password?token=…`, from the email `requestPasswordReset` sent: a new password, twice.
 * The server logs this device in (every other session ends), so the user lands on their profile.
 * Shown whether or not someone is logged in here: the link proves who the user is.
 */
export function ResetPasswordPage() {
  const auth = useAuth();
  const heading = usePageArrival('Reset your password');
  const [token] = useState(() => takeAddressToken(location, history));
  const [{ fetching }, resetPassword] = useMutation(ResetPasswordMutation);
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [linkRefused, setLinkRefused] = useState(false);
  const [challenge, setChallenge] = useState<LoginChallenge>();
  const [challengeDead, setChallengeDead] = useState(false);
  const errors = useServerErrors(INPUTS);

  const signedIn = async (payload: AuthPayloadInput) => {
    await auth.setSession(payload);
    announce(PASSWORD_RESET);
    navigate('/profile', { replace: true, state: { notice: PASSWORD_RESET } });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!token) return;
    const mistakes = mistakesOf({
      newPassword: checkNewPassword(newPassword),
      confirmation: newPassword === confirmation ? undefined : 'The two passwords do not match.',
    });
    if (!errors.check(mistakes)) return;
    const result = await resetPassword({ token, newPassword });
    if (result.data) return signedIn(result.data.resetPassword);
    const secondStep = loginChallengeOf(result.error);
    if (secondStep) return setChallenge(secondStep);
    if (isInvalidLinkError(result.error)) return setLinkRefused(true);
    errors.report(result.error);
  };

  // The form goes with the button that had focus: the heading, which now says why, takes it.
  useEffect(() => {
    if (!linkRefused) return;
    heading.current?.focus();
    announce(INVALID_LINK);
  }, [linkRefused, heading]);

  useEffect(() => {
    if (!challengeDead) return;
    heading.current?.focus();
    announce(FINISH_BY_LOGGING_IN);
  }, [challengeDead, heading]);

  const { formMessage } = errors;
  const usable = token !== null && !linkRefused;

  if (challengeDead || challenge) {
    return (
      <div data-page="reset-password">
        <AuthFrame
          heading={heading}
          title={challengeDead ? 'Log in to finish' : 'Two-step verification'}
          subtitle={challengeDead ? 'Your password was changed.' : 'Your password was changed. Confirm it is you to log in.'}
          footer={
            <>
              <Link to="/login">Log in</Link>
            </>
          }
        >
          {challengeDead || !challenge ? (
            <div className="form">
              <FormAlert tone="info">{FINISH_BY_LOGGING_IN}</FormAlert>
              <Link to="/login" className="button button-primary button-block">
                Log in
              </Link>
            </div>
          ) : (
            <SecondFactorStep challenge={challenge} onSignedIn={signedIn} onChallengeDead={() => setChallengeDead(true)} />
          )}
        </AuthFrame>
      </div>
    );
  }

  return (
    <div data-page="reset-password">
      <AuthFrame
        heading={heading}
        title={usable ? 'Choose a new password' : 'This link does not work'}
        subtitle={usable ? 'Then you are logged in, and every other device is logged out.' : 'Ask for a new one: it takes a minute.'}
        footer={
          <>
            Remembered it? <Link to="/login">Log in</Link>
          </>
        }
      >
        {usable ? (
          <form className="form" ref={errors.formRef} onSubmit={submit} noValidate>
            {formMessage && <FormAlert tone="error">{formMessage}</FormAlert>}
            <NewPasswordFields
              password={newPassword}
              confirmation={confirmation}
              onPasswordChange={setNewPassword}
              onConfirmationChange={setConfirmation}
              errors={errors.fields}
            />
            <SubmitButton busy={fetching} busyLabel="Resetting…" disabled={errors.waiting} block>
              Reset password
            </SubmitButton>
          </form>
        ) : (
          <InvalidLink />
        )}
      </AuthFrame>
    </div>
  );
}
