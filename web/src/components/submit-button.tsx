import type { ReactNode } from 'react';

/** The form's main button; while `busy` it shows a spinner and `busyLabel`, and cannot be pressed. */
export function SubmitButton({
  busy,
  busyLabel,
  disabled = false,
  children,
}: {
  busy: boolean;
  busyLabel: string;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="submit" className="button button-primary button-block" disabled={busy || disabled} aria-busy={busy}>
      {busy && <span className="spinner spinner-inverse" aria-hidden="true" />}
      {busy ? busyLabel : children}
    </button>
  );
}
