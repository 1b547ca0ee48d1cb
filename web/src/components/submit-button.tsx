import type { ReactNode } from 'react';

/**
 * The form's main button; while `busy` it shows a spinner and `busyLabel`. Busy or `disabled`, it
 * is marked `aria-disabled` and ignores presses (Enter in a field included) but keeps keyboard
 * focus: a truly disabled button drops focus to `<body>`, and the user would have to find their
 * place again once it comes back.
 */
export function SubmitButton({
  busy,
  busyLabel,
  disabled = false,
  block = false,
  tone = 'primary',
  children,
}: {
  busy: boolean;
  busyLabel: string;
  disabled?: boolean;
  /** As wide as the form (the login and sign-up cards). */
  block?: boolean;
  /** `danger` for an action that destroys something (deleting the account). */
  tone?: 'primary' | 'danger';
  children: ReactNode;
}) {
  const inactive = busy || disabled;
  return (
    <button
      type="submit"
      className={`button button-${tone}${block ? ' button-block' : ''}`}
      aria-disabled={inactive || undefined}
      aria-busy={busy || undefined}
      onClick={(event) => {
        if (inactive) event.preventDefault();
      }}
    >
      {busy && <span className="spinner spinner-inverse" aria-hidden="true" />}
      {busy ? busyLabel : children}
    </button>
  );
}
