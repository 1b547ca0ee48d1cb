import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { formErrors, type FormErrors } from '../error-messages.ts';
import { graphql } from '../gql';
import { usePageTitle } from '../use-page-title.ts';

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

/** The current password and a new one, twice; the other devices are logged out once it changes. */
export function ChangePasswordPage() {
  usePageTitle('Change password');
  const [{ fetching }, changePassword] = useMutation(ChangePasswordMutation);
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [changed, setChanged] = useState(false);
  const [{ data: account }] = useQuery({ query: PasswordAccountQuery });
  const email = account?.me.email ?? '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setChanged(false);
    const mistakes: Record<string, string> = {};
    if (!currentPassword) mistakes.currentPassword = 'Enter your current password.';
    if (newPassword !== confirmation) mistakes.confirmation = 'The two new passwords do not match.';
    if (Object.keys(mistakes).length > 0) return setErrors({ fields: mistakes });
    setErrors({ fields: {} });
    const result = await changePassword({ currentPassword, newPassword });
    if (result.error) return setErrors(formErrors(result.error, INPUTS));
    setCurrentPassword('');
    setNewPassword('');
    setConfirmation('');
    setChanged(true);
  };

  return (
    <div className="page" data-page="change-password">
      <section className="card" aria-labelledby="password-title">
        <h1 id="password-title">Change password</h1>
        <p className="muted">Changing it logs out every other device, in case someone else knew the old one.</p>
        <form className="form form-narrow" onSubmit={submit} noValidate>
          {errors.form && <FormAlert tone="error">{errors.form}</FormAlert>}
          {/* Password managers store the new password under this account's name. */}
          <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
          {changed && <FormAlert tone="success">Your password was changed. Your other devices were logged out.</FormAlert>}
          <Field
            label="Current password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            value={currentPassword}
            onChange={setCurrentPassword}
            error={errors.fields.currentPassword}
          />
          <Field
            label="New password"
            name="newPassword"
            type="password"
            autoComplete="new-password"
            value={newPassword}
            onChange={setNewPassword}
            error={errors.fields.newPassword}
            hint="At least 8 characters."
          />
          <Field
            label="Repeat the new password"
            name="confirmation"
            type="password"
            autoComplete="new-password"
            value={confirmation}
            onChange={setConfirmation}
            error={errors.fields.confirmation}
          />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={fetching} aria-busy={fetching}>
              {fetching && <span className="spinner spinner-inverse" aria-hidden="true" />}
              {fetching ? 'Changing…' : 'Change password'}
            </button>
          </div>
        </form>
      </section>
    </div>
  );
}
