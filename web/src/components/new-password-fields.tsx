import { Field } from './field.tsx';

/** The password strength advice every form that sets a password shows. */
export const NEW_PASSWORD_HINT = 'At least 8 characters. A few unrelated words work well.';

export interface NewPasswordFieldsProps {
  password: string;
  confirmation: string;
  onPasswordChange(value: string): void;
  onConfirmationChange(value: string): void;
  /** The field errors of the form, by name (`newPassword`, `confirmation`). */
  errors: Partial<Record<string, string>>;
}

/** A new password typed twice, with the strength hint: for changing a password and for resetting one. */
export function NewPasswordFields({ password, confirmation, onPasswordChange, onConfirmationChange, errors }: NewPasswordFieldsProps) {
  return (
    <>
      <Field
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={onPasswordChange}
        error={errors.newPassword}
        hint={NEW_PASSWORD_HINT}
      />
      <Field
        label="Repeat the new password"
        name="confirmation"
        type="password"
        autoComplete="new-password"
        value={confirmation}
        onChange={onConfirmationChange}
        error={errors.confirmation}
      />
    </>
  );
}
