import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { announce } from '../announcer.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { errorCode } from '../error-messages.ts';
import { checkEmail, mistakesOf } from '../field-checks.ts';
import { graphql } from '../gql';
import { Link } from '../router.tsx';
import { useAuth } from '../session.ts';
import { useServerErrors } from '../use-server-errors.ts';

const LogInMutation = graphql(`
  mutation LogIn($input: LoginInput!) {
    login(input: $input) {
      ...AuthPayloadFields
    }
  }
`);

const INPUTS = ['email', 'password'] as const;

/** Email and password; a notice when the session ended (logged out, revoked elsewhere, expired). */
export function LoginPage({ notice }: { notice: string | undefined }) {
  const auth = useAuth();
  const [{ fetching }, logIn] = useMutation(LogInMutation);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errors = useServerErrors(INPUTS);
  // The password was right but the address is not proven yet: the message comes with a way out.
  const [unverified, setUnverified] = useState(false);

  // Why the user is here again is news to a screen-reader user too; once per notice, also under
  // StrictMode's second run of effects.
  const announcedNotice = useRef<string>(undefined);
  useEffect(() => {
    if (!notice || announcedNotice.current === notice) return;
    announcedNotice.current = notice;
    announce(notice);
  }, [notice]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setUnverified(false);
    if (!errors.check(mistakesOf({ email: checkEmail(email), password: password ? undefined : 'Enter your password.' }))) return;
    const result = await logIn({ input: { email, password } });
    if (result.data) return auth.setSession(result.data.login);
    setUnverified(errorCode(result.error) === 'EMAIL_NOT_VERIFIED');
    errors.report(result.error);
  };

  const { formMessage } = errors;

  return (
    <AuthLayout
      pageTitle="Log in"
      title="Welcome back"
      subtitle="Log in to manage your account."
      footer={
        <>
          New here? <Link to="/signup">Create an account</Link>
        </>
      }
    >
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
        />
        <p className="form-aside">
          <Link to="/forgot-password">Forgot password?</Link>
        </p>
        <SubmitButton busy={fetching} busyLabel="Logging in…" disabled={errors.waiting} block>
          Log in
        </SubmitButton>
      </form>
    </AuthLayout>
  );
}
