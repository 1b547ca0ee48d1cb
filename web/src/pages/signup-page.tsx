import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { auth } from '../client.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { formErrors, rateLimitedMessage, type FormErrors } from '../error-messages.ts';
import { graphql } from '../gql';
import { Link } from '../router.tsx';
import { useCountdown } from '../use-countdown.ts';
import { usePageTitle } from '../use-page-title.ts';

const SignUpMutation = graphql(`
  mutation SignUp($input: SignupInput!) {
    signup(input: $input) {
      user {
        id
        email
        name
      }
      accessTokenExpiresAt
      refreshTokenExpiresAt
    }
  }
`);

const INPUTS = ['name', 'email', 'password'] as const;

/** Name, email and password; the server's verdict on each shows under its input. */
export function SignupPage() {
  usePageTitle('Create an account');
  const [{ fetching }, signUp] = useMutation(SignUpMutation);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const wait = useCountdown();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({ fields: {} });
    const result = await signUp({ input: { name, email, password } });
    if (result.data) return auth.setSession(result.data.signup);
    const failure = formErrors(result.error, INPUTS);
    if (failure.retryAfterSeconds) wait.start(failure.retryAfterSeconds);
    setErrors(failure);
  };

  const rateLimited = errors.retryAfterSeconds !== undefined;
  const formMessage = rateLimited ? (wait.secondsLeft > 0 ? rateLimitedMessage(wait.secondsLeft) : undefined) : errors.form;

  return (
    <AuthLayout
      title="Create your account"
      subtitle="It takes less than a minute."
      footer={
        <>
          Already have an account? <Link to="/login">Log in</Link>
        </>
      }
    >
      <form className="form" onSubmit={submit} noValidate data-page="signup">
        {formMessage && <FormAlert tone="error">{formMessage}</FormAlert>}
        <Field label="Name" name="name" autoComplete="name" autoFocus value={name} onChange={setName} error={errors.fields.name} />
        <Field label="Email" name="email" type="email" autoComplete="email" value={email} onChange={setEmail} error={errors.fields.email} />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
          hint="At least 8 characters. A few unrelated words work well."
        />
        <SubmitButton busy={fetching} busyLabel="Creating your account…" disabled={wait.secondsLeft > 0}>
          Create account
        </SubmitButton>
      </form>
    </AuthLayout>
  );
}
