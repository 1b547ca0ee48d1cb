import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { announce } from '../announcer.ts';
import { AuthLayout } from '../components/auth-layout.tsx';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { checkEmail, mistakesOf } from '../field-checks.ts';
import { graphql } from '../gql';
import { Link } from '../router.tsx';
import { useServerErrors } from '../use-server-errors.ts';

const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email)
  }
`);

const INPUTS = ['email'] as const;

/**
 * The words after a request, the same whether or not an account uses the address: the server
 * answers `true` for both, and the page must not tell them apart either.
 */
function checkYourEmailMessage(email: string): string {
  return `Check your email. If an account uses ${email.trim()}, a link to reset its password is on its way. It works once, for a limited time.`;
}

/**
 * "Forgot password?": an email address, then the same "check your email" whatever the address.
 * The form stays, so the button keeps focus and another link can be asked for.
 */
export function ForgotPasswordPage() {
  const [{ fetching }, requestPasswordReset] = useMutation(RequestPasswordResetMutation);
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string>();
  const errors = useServerErrors(INPUTS);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSentTo(undefined);
    if (!errors.check(mistakesOf({ email: checkEmail(email) }))) return;
    const result = await requestPasswordReset({ email: email.trim() });
    if (result.error) return errors.report(result.error);
    setSentTo(email);
    announce(checkYourEmailMessage(email));
  };

  const { formMessage } = errors;

  return (
    <div data-page="forgot-password">
      <AuthLayout
        pageTitle="Forgot password"
        title="Forgot your password?"
        subtitle="Enter the email address of your account, and we will send you a link to choose a new password."
        footer={
          <>
            Remembered it? <Link to="/login">Log in</Link>
          </>
        }
      >
        <form className="form" ref={errors.formRef} onSubmit={submit} noValidate>
          {formMessage && <FormAlert tone="error">{formMessage}</FormAlert>}
          {sentTo !== undefined && !formMessage && <FormAlert tone="success">{checkYourEmailMessage(sentTo)}</FormAlert>}
          <Field label="Email" name="email" type="email" autoComplete="username" value={email} onChange={setEmail} error={errors.fields.email} />
          <SubmitButton busy={fetching} busyLabel="Sending…" disabled={errors.waiting} block>
            {sentTo === undefined ? 'Send the link' : 'Send another link'}
          </SubmitButton>
        </form>
      </AuthLayout>
    </div>
  );
}
