import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { AuthLayout } from '../components/auth-layout.tsx';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { graphql } from '../gql';
import { Link } from '../router.tsx';
import { useAuth } from '../session.ts';
import { useServerErrors } from '../use-server-errors.ts';
import { usePageTitle } from '../use-page-title.ts';

const SignUpMutation = graphql(`
  mutation SignUp($input: SignupInput!) {
    signup(input: $input) {
      ...AuthPayloadFields
    }
  }
`);

const INPUTS = ['name', 'email', 'password'] as const;

/** Name, email and password; the server's verdict on each shows under its input. */
export function SignupPage() {
  usePageTitle('Create an account');
  const auth = useAuth();
  const [{ fetching }, signUp] = useMutation(SignUpMutation);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errors = useServerErrors(INPUTS);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    errors.showFieldErrors();
    const result = await signUp({ input: { name, email, password } });
    if (result.data) return auth.setSession(result.data.signup);
    errors.report(result.error);
  };

  const { formMessage } = errors;

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
        <SubmitButton busy={fetching} busyLabel="Creating your account…" disabled={errors.waiting}>
          Create account
        </SubmitButton>
      </form>
    </AuthLayout>
  );
}
