import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useMutation } from 'urql';
import { fieldRule } from '../error-messages.ts';
import { graphql } from '../gql';
import { acceptsCode, type SecondFactorMethod } from '../second-factor.ts';
import { useModalDialog } from '../use-modal-dialog.ts';
import { usePasskeyProof } from '../use-passkey-proof.ts';
import { useServerErrors } from '../use-server-errors.ts';
import { Field } from './field.tsx';
import { FormAlert } from './form-alert.tsx';
import { PasskeyButton } from './passkey-button.tsx';
import { SubmitButton } from './submit-button.tsx';

const VerifySecondFactorMutation = graphql(`
  mutation VerifySecondFactor($code: String, $passkeyResponse: String) {
    verifySecondFactor(code: $code, passkeyResponse: $passkeyResponse)
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
  passkeyButton,
  titleId,
  descriptionId,
  onVerified,
  onCancel,
}: {
  request: StepUpRequest;
  input: RefObject<HTMLInputElement | null>;
  passkeyButton: RefObject<HTMLButtonElement | null>;
  titleId: string;
  descriptionId: string;
  onVerified(): void;
  onCancel(): void;
}) {
  const [{ fetching }, verify] = useMutation(VerifySecondFactorMutation);
  const passkey = usePasskeyProof();
  const [code, setCode] = useState('');
  const errors = useServerErrors(INPUTS);
  const byCode = acceptsCode(request.methods);
  const byPasskey = request.methods.includes('PASSKEY');

  const proveWithPasskey = async () => {
    errors.report(undefined);
    const outcome = await passkey.prove(undefined, (passkeyResponse) => verify({ passkeyResponse }));
    if (!outcome) return;
    if (!('answer' in outcome)) return errors.report(outcome.optionsRefused);
    if (outcome.answer.error) return errors.report(outcome.answer.error);
    onVerified();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(code.trim() ? {} : { code: fieldRule('code') })) return;
    passkey.clearRefusal();
    const result = await verify({ code });
    if (result.error) return errors.report(result.error);
    onVerified();
  };

  return (
    <form ref={errors.formRef} onSubmit={submit} noValidate data-form="step-up">
      <h2 id={titleId}>Confirm it’s you</h2>
      <p id={descriptionId} className="muted">
        {byCode
          ? `This change needs your second factor. Enter the code your authenticator app shows, or one of your recovery codes${byPasskey ? ', or use a passkey' : ''}.`
          : 'This change needs your second factor: use one of your passkeys.'}
      </p>
      <div className="form dialog-form">
        {errors.formMessage && <FormAlert tone="error">{errors.formMessage}</FormAlert>}
        {passkey.refusal && !errors.formMessage && <FormAlert tone="error">{passkey.refusal}</FormAlert>}
        {byCode && (
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
        )}
      </div>
      <div className="dialog-actions">
        {byCode && (
          <SubmitButton busy={fetching && !passkey.busy} busyLabel="Checking…" disabled={errors.waiting || passkey.busy}>
            Confirm
          </SubmitButton>
        )}
        {byPasskey && (
          <PasskeyButton
            busy={passkey.busy}
            waiting={errors.waiting}
            primary={!byCode}
            buttonRef={byCode ? undefined : passkeyButton}
            onUse={() => void proveWithPasskey()}
          />
        )}
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * Asks for a second factor when a sensitive change answered `STEP_UP_REQUIRED`, in a modal
 * `<dialog>` like {@link PasswordDialog}'s: focus starts in the code field (on "Use a passkey" for
 * an account with passkeys only), Escape or Cancel gives up with focus back where it was. A right
 * code or passkey proves the factor on this session (`verifySecondFactor`), and the caller
 * retries the change.
 */
export function StepUpDialog({ request }: { request: StepUpRequest | undefined }) {
  const input = useRef<HTMLInputElement>(null);
  const passkeyButton = useRef<HTMLButtonElement>(null);
  const byCode = request ? acceptsCode(request.methods) : true;
  const modal = useModalDialog(request !== undefined, byCode ? input : passkeyButton);
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
          passkeyButton={passkeyButton}
          titleId={titleId}
          descriptionId={descriptionId}
          onVerified={() => finish(true)}
          onCancel={() => finish(false)}
        />
      )}
    </dialog>
  );
}
