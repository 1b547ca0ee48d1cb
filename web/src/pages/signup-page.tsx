import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { announce } from '../announcer.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { errorCode } from '../error-messages.ts';
import { checkEmail, checkName, checkNewPassword, mistakesOf } from '../field-checks.ts';
import { graphql } from '../gql';
import { Link } from '../router.tsx';
import { useAuth } from '../session.ts';
import { useServerErrors } from '../use-server-errors.ts';
import { NEW_PASSWORD_HINT } from '../components/new-password-fields.tsx';

const SignUpMutation = graphql(`
  mutation SignUp($input: SignupInput!) {
    signup(input: $input) {
      ...AuthPayloadFields
    }
  }
`);

const INPUTS = ['name', 'email', 'password'] as const;

/** When the server requires a proven address before the first login, sign-up ends here. */
const createdMessage = (email: string) => `Your account is created. Follow the link we sent to ${email} to verify the address, then log in.`;

/**
 * Name, email and password: every mistake shows under its input at once, then the server's verdict.
 * With `REQUIRE_EMAIL_VERIFICATION` the account is created without a session (`EMAIL_NOT_VERIFIED`):
 * the page then says to follow the emailed link and log in.
 */
export function SignupPage() {
  const auth = useAuth();
  const [{ fetching }, signUp] = useMutation(SignUpMutation);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errors = useServerErrors(INPUTS);
  const [created, setCreated] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(mistakesOf({ name: checkName(name), email: checkEmail(email), password: checkNewPassword(password) }))) return;
    setCreated(undefined);
    const result = await signUp({ input: { name, email, password } });
    if (result.data) return auth.setSession(result.data.signup);
    if (errorCode(result.error) === 'EMAIL_NOT_VERIFIED') {
      const message = createdMessage(email.trim());
      setCreated(message);
      setPassword('');
      return announce(message);
    }
    errors.report(result.error);
  };

  const { formMessage } = errors;

  return (
    <AuthLayout
      pageTitle="Create an account"
      title="Create your account"
      subtitle="It takes less than a minute."
      footer={
        <>
          Already have an account? <Link to="/login">Log in</Link>
        </>
      }
    >
      <form className="form" ref={errors.formRef} onSubmit={submit} noValidate data-page="signup">
        {formMessage && <FormAlert tone="error">{formMessage}</FormAlert>}
        {created && !formMessage && (
          <FormAlert tone="success">
            {created} <Link to="/login">Go to the login page</Link>
          </FormAlert>
        )}
        <Field label="Name" name="name" autoComplete="name" value={name} onChange={setName} error={errors.fields.name} />
        {/* username, not email: password managers file the new password under this address. */}
        <Field label="Email" name="email" type="email" autoComplete="username" value={email} onChange={setEmail} error={errors.fields.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
          hint={NEW_PASSWORD_HINT}
        />
        <SubmitButton busy={fetching} busyLabel="Creating your account…" disabled={errors.waiting} block>
          Create account
        </SubmitButton>
      </form>
    </AuthLayout>
  );
}
