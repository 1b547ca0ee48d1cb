import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation, type CombinedError } from 'urql';
import { announce } from '../announcer.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { SecondFactorStep } from '../components/second-factor-step.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { errorCode, errorMessage } from '../error-messages.ts';
import { checkEmail, mistakesOf } from '../field-checks.ts';
import { graphql } from '../gql';
import { authenticateWithPasskey } from '../passkey-ceremony.ts';
import { Link } from '../router.tsx';
import { loginChallengeOf, type LoginChallenge } from '../second-factor.ts';
import { useAuth } from '../session.ts';
import { useServerErrors } from '../use-server-errors.ts';

const LogInMutation = graphql(`
  mutation LogIn($input: LoginInput!) {
    login(input: $input) {
      ...AuthPayloadFields
    }
  }
`);

const PasskeyLoginOptionsMutation = graphql(`
  mutation PasskeyLoginOptions {
    passkeyLoginOptions
  }
`);

const LogInWithPasskeyMutation = graphql(`
  mutation LogInWithPasskey($response: String!) {
    loginWithPasskey(response: $response) {
      ...AuthPayloadFields
    }
  }
`);

const INPUTS = ['email', 'password'] as const;

/**
 * "Sign in with a passkey": no email typed, the browser offers the passkeys it holds for this
 * site. A refusal (cancelled, not accepted, too many attempts) is shown and announced.
 */
function usePasskeyLogin() {
  const auth = useAuth();
  const [, passkeyLoginOptions] = useMutation(PasskeyLoginOptionsMutation);
  const [, logInWithPasskey] = useMutation(LogInWithPasskeyMutation);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string>();

  const fail = (text: string) => {
    setBusy(false);
    setMessage(text);
    announce(text);
  };

  return {
    busy,
    message,
    async logIn() {
      setBusy(true);
      setMessage(undefined);
      const options = await passkeyLoginOptions({});
      if (!options.data) return fail(options.error ? errorMessage(options.error) : 'The passkey sign-in could not start. Please try again.');
      const ceremony = await authenticateWithPasskey(options.data.passkeyLoginOptions);
      if (!ceremony.ok) return fail(ceremony.message);
      const result = await logInWithPasskey({ response: ceremony.response });
      if (!result.data) return fail(result.error ? errorMessage(result.error) : 'The passkey sign-in failed. Please try again.');
      await auth.setSession(result.data.loginWithPasskey);
    },
  };
}

/**
 * Email and password; a notice when the session ended (logged out, revoked elsewhere, expired).
 * An account with a second factor gets a second step for its code; "Sign in with a passkey" needs
 * no email at all.
 */
export function LoginPage({ notice }: { notice: string | undefined }) {
  const auth = useAuth();
  const [{ fetching }, logIn] = useMutation(LogInMutation);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errors = useServerErrors(INPUTS);
  // The password was right but the address is not proven yet: the message comes with a way out.
  const [unverified, setUnverified] = useState(false);
  const [challenge, setChallenge] = useState<LoginChallenge>();
  const passwordInput = useRef<HTMLInputElement>(null);
  const [focusPassword, setFocusPassword] = useState(0);
  const passkey = usePasskeyLogin();

  // Why the user is here again is news to a screen-reader user too; once per notice, also under
  // StrictMode's second run of effects.
  const announcedNotice = useRef<string>(undefined);
  useEffect(() => {
    if (!notice || announcedNotice.current === notice) return;
    announcedNotice.current = notice;
    announce(notice);
  }, [notice]);

  // Back from a dead second step: the password is asked again, where the message says why.
  useEffect(() => {
    if (focusPassword > 0) passwordInput.current?.focus();
  }, [focusPassword]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setUnverified(false);
    if (!errors.check(mistakesOf({ email: checkEmail(email), password: password ? undefined : 'Enter your password.' }))) return;
    const result = await logIn({ input: { email, password } });
    if (result.data) return auth.setSession(result.data.login);
    const secondStep = loginChallengeOf(result.error);
    if (secondStep) {
      errors.report(undefined);
      return setChallenge(secondStep);
    }
    setUnverified(errorCode(result.error) === 'EMAIL_NOT_VERIFIED');
    errors.report(result.error);
  };

  const backToPassword = (error: CombinedError | undefined) => {
    setChallenge(undefined);
    setPassword('');
    errors.report(error);
    setFocusPassword((requests) => requests + 1);
  };

  const { formMessage } = errors;

  return (
    <AuthLayout
      pageTitle="Log in"
      title={challenge ? 'Two-step verification' : 'Welcome back'}
      subtitle={challenge ? `Logging in as ${email}.` : 'Log in to manage your account.'}
      footer={
        <>
          New here? <Link to="/signup">Create an account</Link>
        </>
      }
    >
      {challenge ? (
        <div data-page="login">
          <SecondFactorStep
            challenge={challenge}
            onSignedIn={(payload) => auth.setSession(payload)}
            onChallengeDead={backToPassword}
            onBack={() => backToPassword(undefined)}
          />
        </div>
      ) : (
        <>
          <form className="form" ref={errors.formRef} onSubmit={submit} noValidate data-page="login">
            {notice && !formMessage && <FormAlert tone="info">{notice}</FormAlert>}
            {formMessage && (
              <FormAlert tone="error">
                {formMessage}
                {unverified && (
                  <>
                    {' '}
                    <Link to="/forgot-password">Reset your password</Link>
                  </>
                )}
              </FormAlert>
            )}
            <Field label="Email" name="email" type="email" autoComplete="username" value={email} onChange={setEmail} error={errors.fields.email} />
            <Field
              label="Password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={setPassword}
              error={errors.fields.password}
              inputRef={passwordInput}
            />
            <p className="form-aside">
              <Link to="/forgot-password">Forgot password?</Link>
            </p>
            <SubmitButton busy={fetching} busyLabel="Logging in…" disabled={errors.waiting} block>
              Log in
            </SubmitButton>
          </form>
          <div className="form passkey-login">
            {passkey.message && <FormAlert tone="error">{passkey.message}</FormAlert>}
            <button
              type="button"
              className="button button-secondary button-block"
              aria-disabled={passkey.busy || undefined}
              aria-busy={passkey.busy || undefined}
              onClick={passkey.busy ? undefined : () => void passkey.logIn()}
            >
              {passkey.busy ? 'Waiting for your passkey…' : 'Sign in with a passkey'}
            </button>
          </div>
        </>
      )}
    </AuthLayout>
  );
}
