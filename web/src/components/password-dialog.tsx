import { useId, useRef, useState, type FormEvent, type ReactNode, type RefObject } from 'react';
import type { CombinedError } from 'urql';
import { useModalDialog } from '../use-modal-dialog.ts';
import { useServerErrors } from '../use-server-errors.ts';
import { Field } from './field.tsx';
import { FormAlert } from './form-alert.tsx';
import { SubmitButton } from './submit-button.tsx';

export interface PasswordRequest {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  /** Does the thing with the current password; resolves to the server's error when it refused. */
  onConfirm(currentPassword: string): Promise<CombinedError | undefined>;
}

const INPUTS = ['currentPassword'] as const;

/** The dialog's form: a fresh one (empty, no errors) each time the dialog opens. */
function PasswordForm({
  request,
  input,
  titleId,
  descriptionId,
  onCancel,
}: {
  request: PasswordRequest;
  input: RefObject<HTMLInputElement | null>;
  titleId: string;
  descriptionId: string;
  onCancel(): void;
}) {
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const errors = useServerErrors(INPUTS);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(password ? {} : { currentPassword: 'Enter your current password.' })) return;
    setBusy(true);
    const error = await request.onConfirm(password);
    setBusy(false);
    if (error) errors.report(error);
  };

  return (
    <form ref={errors.formRef} onSubmit={submit} noValidate>
      <h2 id={titleId}>{request.title}</h2>
      <p id={descriptionId} className="muted">
        {request.description}
      </p>
      <div className="form dialog-form">
        {errors.formMessage && <FormAlert tone="error">{errors.formMessage}</FormAlert>}
        <Field
          label="Current password"
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={errors.fields.currentPassword}
          inputRef={input}
        />
      </div>
      <div className="dialog-actions">
        <SubmitButton busy={busy} busyLabel={request.busyLabel} disabled={errors.waiting} tone="danger">
          {request.confirmLabel}
        </SubmitButton>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * Asks for the current password before something that cannot be undone, in a modal `<dialog>`
 * like {@link ConfirmDialog}'s: the page behind inert, Tab kept inside, Escape or Cancel closing
 * it with focus back where it was. Focus starts in the password field. A refusal (a wrong
 * password, `RATE_LIMITED`) shows in the dialog, which stays open; on success `onConfirm` decides
 * what comes next (the page behind may be about to go).
 */
export function PasswordDialog({ request, onClose }: { request: PasswordRequest | undefined; onClose(): void }) {
  const input = useRef<HTMLInputElement>(null);
  const modal = useModalDialog(request !== undefined, input);
  const titleId = useId();
  const descriptionId = useId();

  const cancel = () => {
    modal.close({ restoreFocus: true });
    onClose();
  };

  return (
    <dialog
      ref={modal.dialog}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onKeyDown={modal.keepTabInside}
      onCancel={(event) => {
        // Escape: closed here, so focus goes back and the parent hears of it.
        event.preventDefault();
        cancel();
      }}
    >
      {request && <PasswordForm request={request} input={input} titleId={titleId} descriptionId={descriptionId} onCancel={cancel} />}
    </dialog>
  );
}
