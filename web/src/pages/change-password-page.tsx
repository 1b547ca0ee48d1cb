import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { announce } from '../announcer.ts';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { checkNewPassword, mistakesOf } from '../field-checks.ts';
import { graphql } from '../gql';
import { Link } from '../router.tsx';
import { useStepUp } from '../step-up.tsx';
import { usePageArrival } from '../use-page-arrival.ts';
import { useServerErrors } from '../use-server-errors.ts';
import { NewPasswordFields } from '../components/new-password-fields.tsx';

/** The account's email, for the hidden username field password managers file the new password under. */
const PasswordAccountQuery = graphql(`
  query PasswordAccount {
    me {
      id
      email
    }
  }
`);

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)
  }
`);

const INPUTS = ['currentPassword', 'newPassword'] as const;

const CHANGED = 'Your password was changed. Your other devices were logged out.';

/** The current password and a new one, twice; the other devices are logged out once it changes. */
export function ChangePasswordPage() {
  const heading = usePageArrival('Change password');
  const [{ fetching }, changePassword] = useMutation(ChangePasswordMutation);
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const errors = useServerErrors(INPUTS);
  const withStepUp = useStepUp();
  const [changed, setChanged] = useState(false);
  const [{ data: account }] = useQuery({ query: PasswordAccountQuery });
  const email = account?.me.email ?? '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChanged(false);
    const mistakes = mistakesOf({
      currentPassword: currentPassword ? undefined : 'Enter your current password.',
      newPassword: checkNewPassword(newPassword),
      confirmation: newPassword === confirmation ? undefined : 'The two new passwords do not match.',
    });
    if (!errors.check(mistakes)) return;
    const result = await withStepUp(() => changePassword({ currentPassword, newPassword }));
    if (result.error) return errors.report(result.error);
    setCurrentPassword('');
    setNewPassword('');
    setConfirmation('');
    setChanged(true);
    announce(CHANGED);
  };

  const { formMessage } = errors;

  return (
    <div className="page" data-page="change-password">
      <section className="card" aria-labelledby="password-title">
        <h1 id="password-title" ref={heading} tabIndex={-1}>
          Change password
        </h1>
        <p className="muted">Changing it logs out every other device, in case someone else knew the old one.</p>
        <form className="form form-narrow" ref={errors.formRef} onSubmit={submit} noValidate>
          {formMessage && <FormAlert tone="error">{formMessage}</FormAlert>}
          {/* Password managers store the new password under this account's name. */}
          <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
          {changed && <FormAlert tone="success">{CHANGED}</FormAlert>}
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={setCurrentPassword}
            error={errors.fields.currentPassword}
          />
          <p className="form-aside">
            <Link to="/forgot-password">Forgot it? Reset it by email</Link>
          </p>
          <NewPasswordFields
            password={newPassword}
            confirmation={confirmation}
            onPasswordChange={setNewPassword}
            onConfirmationChange={setConfirmation}
            errors={errors.fields}
          />
          <div className="form-actions">
            <SubmitButton busy={fetching} busyLabel="Changing…" disabled={errors.waiting}>
              Change password
            </SubmitButton>
          </div>
        </form>
      </section>
    </div>
  );
}
