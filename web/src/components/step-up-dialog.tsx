import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useMutation } from 'urql';
import { graphql } from '../gql';
import type { SecondFactorMethod } from '../second-factor.ts';
import { useModalDialog } from '../use-modal-dialog.ts';
import { useServerErrors } from '../use-server-errors.ts';
import { Field } from './field.tsx';
import { FormAlert } from './form-alert.tsx';
import { SubmitButton } from './submit-button.tsx';

const VerifySecondFactorMutation = graphql(`
  mutation VerifySecondFactor($code: String!) {
    verifySecondFactor(code: $code)
  }
`);

/** A sensitive change waiting for a second factor: the methods the server accepts, and who to tell how it ended. */
export interface StepUpRequest {
  methods: SecondFactorMethod[];
  /** True once a factor was proven on this session (the change may be retried), false when the user gave up. */
  onDone(verified: boolean): void;
}

const INPUTS = ['code'] as const;

/** The dialog's form: empty, without errors, each time the dialog opens. */
function StepUpForm({
  request,
  input,
  titleId,
  descriptionId,
  onVerified,
  onCancel,
}: {
  request: StepUpRequest;
  input: RefObject<HTMLInputElement | null>;
  titleId: string;
  descriptionId: string;
  onVerified(): void;
  onCancel(): void;
}) {
  const [{ fetching }, verify] = useMutation(VerifySecondFactorMutation);
  const [code, setCode] = useState('');
  const errors = useServerErrors(INPUTS);
  const passkeyOnly = request.methods.length > 0 && request.methods.every((method) => method === 'PASSKEY');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(code.trim() ? {} : { code: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.' })) return;
    const result = await verify({ code });
    if (result.error) return errors.report(result.error);
    onVerified();
  };

  return (
    <form ref={errors.formRef} onSubmit={submit} noValidate data-form="step-up">
      <h2 id={titleId}>Confirm it’s you</h2>
      <p id={descriptionId} className="muted">
        This change needs your second factor. Enter the code your authenticator app shows, or one of your recovery codes.
      </p>
      <div className="form dialog-form">
        {errors.formMessage && <FormAlert tone="error">{errors.formMessage}</FormAlert>}
        {request.methods.includes('PASSKEY') && (
          <p className="muted small">
            {passkeyOnly
              ? 'Passkeys cannot confirm a change yet. Set up an authenticator app to make this change.'
              : 'Passkeys cannot confirm a change yet: use a code.'}
          </p>
        )}
        <Field
          label="Code"
          name="code"
          autoComplete="one-time-code"
          spellCheck={false}
          autoCapitalize="off"
          value={code}
          onChange={setCode}
          error={errors.fields.code}
          hint="6 digits from the app, or a recovery code."
          inputRef={input}
        />
      </div>
      <div className="dialog-actions">
        <SubmitButton busy={fetching} busyLabel="Checking…" disabled={errors.waiting}>
          Confirm
        </SubmitButton>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * Asks for a second factor when a sensitive change answered `STEP_UP_REQUIRED`, in a modal
 * `<dialog>` like {@link PasswordDialog}'s: focus starts in the code field, Escape or Cancel gives
 * up with focus back where it was. A right code proves the factor on this session
 * (`verifySecondFactor`), and the caller retries the change.
 */
export function StepUpDialog({ request }: { request: StepUpRequest | undefined }) {
  const input = useRef<HTMLInputElement>(null);
  const modal = useModalDialog(request !== undefined, input);
  const titleId = useId();
  const descriptionId = useId();

  const finish = (verified: boolean) => {
    modal.close({ restoreFocus: true });
    request?.onDone(verified);
  };

  return (
    <dialog
      ref={modal.dialog}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onKeyDown={modal.keepTabInside}
      onCancel={(event) => {
        // Escape: closed here, so focus goes back and the caller hears of it.
        event.preventDefault();
        finish(false);
      }}
    >
      {request && (
        <StepUpForm
          request={request}
          input={input}
          titleId={titleId}
          descriptionId={descriptionId}
          onVerified={() => finish(true)}
          onCancel={() => finish(false)}
        />
      )}
    </dialog>
  );
}
