import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { AuthLayout } from '../components/auth-layout.tsx';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { checkEmail, checkName, checkNewPassword, mistakesOf } from '../field-checks.ts';
import { graphql } from '../gql';
import { Link } from '../router.tsx';
import { useAuth } from '../session.ts';
import { useServerErrors } from '../use-server-errors.ts';

const SignUpMutation = graphql(`
  mutation SignUp($input: SignupInput!) {
    signup(input: $input) {
      ...AuthPayloadFields
    }
  }
`);

const INPUTS = ['name', 'email', 'password'] as const;

/** Name, email and password: every mistake shows under its input at once, then the server's verdict. */
export function SignupPage() {
  const auth = useAuth();
  const [{ fetching }, signUp] = useMutation(SignUpMutation);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errors = useServerErrors(INPUTS);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(mistakesOf({ name: checkName(name), email: checkEmail(email), password: checkNewPassword(password) }))) return;
    const result = await signUp({ input: { name, email, password } });
    if (result.data) return auth.setSession(result.data.signup);
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
          hint="At least 8 characters. A few unrelated words work well."
        />
        <SubmitButton busy={fetching} busyLabel="Creating your account…" disabled={errors.waiting} block>
          Create account
        </SubmitButton>
      </form>
    </AuthLayout>
  );
}
