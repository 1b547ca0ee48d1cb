import { useId, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useMutation } from 'urql';
import { announce } from '../announcer.ts';
import { graphql } from '../gql';
import { authenticateWithPasskey } from '../passkey-ceremony.ts';
import type { SecondFactorMethod } from '../second-factor.ts';
import { useModalDialog } from '../use-modal-dialog.ts';
import { useServerErrors } from '../use-server-errors.ts';
import { Field } from './field.tsx';
import { FormAlert } from './form-alert.tsx';
import { SubmitButton } from './submit-button.tsx';

const VerifySecondFactorMutation = graphql(`
  mutation VerifySecondFactor($code: String, $passkeyResponse: String) {
    verifySecondFactor(code: $code, passkeyResponse: $passkeyResponse)
  }
`);

const StepUpPasskeyOptionsMutation = graphql(`
  mutation StepUpPasskeyOptions {
    passkeySecondFactorOptions
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
  const [, passkeyOptions] = useMutation(StepUpPasskeyOptionsMutation);
  const [code, setCode] = useState('');
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const [passkeyRefusal, setPasskeyRefusal] = useState<string>();
  const errors = useServerErrors(INPUTS);
  const byCode = request.methods.includes('TOTP') || request.methods.includes('RECOVERY_CODE');
  const byPasskey = request.methods.includes('PASSKEY');

  const refusePasskey = (text: string) => {
    setPasskeyBusy(false);
    setPasskeyRefusal(text);
    announce(text);
  };

  const proveWithPasskey = async () => {
    setPasskeyRefusal(undefined);
    errors.report(undefined);
    setPasskeyBusy(true);
    const options = await passkeyOptions({});
    if (!options.data) {
      setPasskeyBusy(false);
      return errors.report(options.error);
    }
    const ceremony = await authenticateWithPasskey(options.data.passkeySecondFactorOptions);
    if (!ceremony.ok) return refusePasskey(ceremony.message);
    const result = await verify({ passkeyResponse: ceremony.response });
    setPasskeyBusy(false);
    if (result.error) return errors.report(result.error);
    onVerified();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(code.trim() ? {} : { code: 'Enter the 6-digit code from your authenticator app, or one of your recovery codes.' })) return;
    setPasskeyRefusal(undefined);
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
        {passkeyRefusal && !errors.formMessage && <FormAlert tone="error">{passkeyRefusal}</FormAlert>}
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
          <SubmitButton busy={fetching && !passkeyBusy} busyLabel="Checking…" disabled={errors.waiting || passkeyBusy}>
            Confirm
          </SubmitButton>
        )}
        {byPasskey && (
          <button
            type="button"
            ref={byCode ? undefined : passkeyButton}
            className={`button button-${byCode ? 'secondary' : 'primary'}`}
            aria-disabled={passkeyBusy || errors.waiting || undefined}
            aria-busy={passkeyBusy || undefined}
            onClick={passkeyBusy || errors.waiting ? undefined : () => void proveWithPasskey()}
          >
            {passkeyBusy ? 'Waiting for your passkey…' : 'Use a passkey'}
          </button>
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
  const byCode = request ? request.methods.includes('TOTP') || request.methods.includes('RECOVERY_CODE') : true;
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
