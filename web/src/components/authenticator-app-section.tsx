import QRCode from 'qrcode';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { announce } from '../announcer.ts';
import { errorMessage } from '../error-messages.ts';
import { graphql } from '../gql';
import { useStepUp } from '../step-up.tsx';
import { useServerErrors } from '../use-server-errors.ts';
import { ConfirmDialog, type ConfirmRequest } from './confirm-dialog.tsx';
import { Field } from './field.tsx';
import { FormAlert } from './form-alert.tsx';
import { RecoveryCodesPanel } from './recovery-codes-panel.tsx';
import { SubmitButton } from './submit-button.tsx';

const BeginTotpEnrollmentMutation = graphql(`
  mutation BeginTotpEnrollment {
    beginTotpEnrollment {
      secret
      uri
    }
  }
`);

const ConfirmTotpEnrollmentMutation = graphql(`
  mutation ConfirmTotpEnrollment($code: String!) {
    confirmTotpEnrollment(code: $code)
  }
`);

const DisableTotpMutation = graphql(`
  mutation DisableTotp {
    disableTotp
  }
`);

const RegenerateRecoveryCodesMutation = graphql(`
  mutation RegenerateRecoveryCodes {
    regenerateRecoveryCodes
  }
`);

const INPUTS = ['code'] as const;

const TURNED_ON = 'The authenticator app is on. Save your recovery codes: they are shown only once.';
const NEW_CODES = 'New recovery codes: the old ones no longer work. Save these: they are shown only once.';
const TURNED_OFF = 'The authenticator app is off, and its recovery codes were deleted.';

/** The secret in groups of four, as authenticator apps show and people type it. */
const groupedSecret = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

/**
 * Setting the app up: the QR code of its `otpauth://` URI (with the secret as text to type,
 * for who cannot scan), and the first code to prove it works. Focus lands on the step's heading.
 */
function TotpSetup({ secret, uri, onConfirmed, onCancel }: { secret: string; uri: string; onConfirmed(codes: string[]): void; onCancel(): void }) {
  const [{ fetching }, confirmEnrollment] = useMutation(ConfirmTotpEnrollmentMutation);
  const [code, setCode] = useState('');
  const [qrCode, setQrCode] = useState<string>();
  const errors = useServerErrors(INPUTS);
  const heading = useRef<HTMLHeadingElement>(null);

  // Once per mount, also under StrictMode's second run of effects.
  const arrived = useRef(false);
  useEffect(() => {
    if (arrived.current) return;
    arrived.current = true;
    heading.current?.focus();
    announce('Scan the QR code with your authenticator app, or type the setup key, then enter the code it shows.');
  }, []);

  useEffect(() => {
    let current = true;
    void QRCode.toDataURL(uri, { margin: 1, width: 200 }).then((dataUrl) => {
      if (current) setQrCode(dataUrl);
    });
    return () => {
      current = false;
    };
  }, [uri]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.check(/^\s*\d{3}\s?\d{3}\s*$/.test(code) ? {} : { code: 'Enter the 6-digit code your authenticator app shows.' })) return;
    const result = await confirmEnrollment({ code });
    if (!result.data) return errors.report(result.error);
    onConfirmed(result.data.confirmTotpEnrollment);
  };

  return (
    <div className="totp-setup" data-totp-setup>
      <h3 ref={heading} tabIndex={-1}>
        Scan this QR code
      </h3>
      <p className="muted">Open your authenticator app, add an account, and scan the code. It then shows a new 6-digit code every 30 seconds.</p>
      {qrCode ? (
        <img className="totp-qr" src={qrCode} alt="QR code for your authenticator app. If you cannot scan it, type the setup key shown below." />
      ) : (
        <span className="totp-qr skeleton" aria-hidden="true" />
      )}
      <p>
        Cannot scan it? Type this setup key:{' '}
        <code className="totp-secret" data-testid="totp-secret" aria-label={`Setup key: ${secret.split('').join(' ')}`}>
          {groupedSecret(secret)}
        </code>
      </p>
      <form className="form form-narrow" ref={errors.formRef} onSubmit={submit} noValidate>
        {errors.formMessage && <FormAlert tone="error">{errors.formMessage}</FormAlert>}
        <Field
          label="Code from the app"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          value={code}
          onChange={setCode}
          error={errors.fields.code}
          hint="6 digits."
        />
        <div className="form-actions form-actions-start">
          <SubmitButton busy={fetching} busyLabel="Checking…" disabled={errors.waiting}>
            Turn on
          </SubmitButton>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

type Stage = { kind: 'idle' } | { kind: 'setup'; secret: string; uri: string } | { kind: 'codes'; codes: string[]; arrival: string };

/**
 * The authenticator app: on or off; setting it up (QR code, confirming code, then the recovery
 * codes shown once); turning it off; the recovery codes left, and new ones. Turning off and new
 * codes ask first, and need a second factor proven recently (the step-up dialog).
 */
export function AuthenticatorAppSection({
  account,
  totpEnabled,
  recoveryCodesLeft,
  onChanged,
}: {
  account: string;
  totpEnabled: boolean;
  recoveryCodesLeft: number;
  onChanged(): void;
}) {
  const [, beginEnrollment] = useMutation(BeginTotpEnrollmentMutation);
  const [, disableTotp] = useMutation(DisableTotpMutation);
  const [, regenerateCodes] = useMutation(RegenerateRecoveryCodesMutation);
  const withStepUp = useStepUp();
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);
  const [confirmRequest, setConfirmRequest] = useState<ConfirmRequest>();
  const heading = useRef<HTMLHeadingElement>(null);

  const tell = (tone: 'success' | 'error', text: string) => {
    setNotice({ tone, text });
    announce(text);
  };

  const begin = async () => {
    setNotice(undefined);
    setBusy(true);
    const result = await beginEnrollment({});
    setBusy(false);
    if (!result.data) return tell('error', result.error ? errorMessage(result.error) : 'The setup could not start. Please try again.');
    setStage({ kind: 'setup', ...result.data.beginTotpEnrollment });
  };

  const backToSection = () => {
    setStage({ kind: 'idle' });
    heading.current?.focus();
  };

  const turnOff = async () => {
    setNotice(undefined);
    const result = await withStepUp(() => disableTotp({}));
    if (result.error) return tell('error', errorMessage(result.error));
    tell('success', TURNED_OFF);
    heading.current?.focus();
    onChanged();
  };

  const newCodes = async () => {
    setNotice(undefined);
    const result = await withStepUp(() => regenerateCodes({}));
    if (!result.data) return tell('error', result.error ? errorMessage(result.error) : 'No new codes were made. Please try again.');
    setStage({ kind: 'codes', codes: result.data.regenerateRecoveryCodes, arrival: NEW_CODES });
    onChanged();
  };

  return (
    <section className="card" aria-labelledby="authenticator-title" data-section="authenticator-app">
      <div className="security-status">
        <div>
          <h2 id="authenticator-title" ref={heading} tabIndex={-1}>
            Authenticator app
          </h2>
          <p className="muted" data-testid="totp-status">
            {totpEnabled ? 'On: logging in asks for a code from the app after your password.' : 'Off: your password alone logs you in.'}
          </p>
        </div>
        {stage.kind === 'idle' &&
          (totpEnabled ? (
            <button
              type="button"
              className="button button-danger-quiet"
              onClick={() =>
                setConfirmRequest({
                  title: 'Turn off the authenticator app?',
                  description: 'Your password alone will log you in again, and your recovery codes stop working.',
                  confirmLabel: 'Turn off',
                  onConfirm: () => void turnOff(),
                })
              }
            >
              Turn off…
            </button>
          ) : (
            <button type="button" className="button button-primary" aria-disabled={busy || undefined} aria-busy={busy || undefined} onClick={busy ? undefined : () => void begin()}>
              {busy ? 'Starting…' : 'Set up authenticator app'}
            </button>
          ))}
      </div>
      {notice && <FormAlert tone={notice.tone}>{notice.text}</FormAlert>}
      {stage.kind === 'setup' && (
        <TotpSetup
          secret={stage.secret}
          uri={stage.uri}
          onConfirmed={(codes) => {
            setStage({ kind: 'codes', codes, arrival: TURNED_ON });
            onChanged();
          }}
          onCancel={backToSection}
        />
      )}
      {stage.kind === 'codes' && <RecoveryCodesPanel codes={stage.codes} account={account} arrival={stage.arrival} onSaved={backToSection} />}
      {totpEnabled && stage.kind === 'idle' && (
        <div className="security-status recovery-summary">
          <p data-testid="recovery-codes-left">
            {recoveryCodesLeft === 1 ? '1 recovery code left.' : `${recoveryCodesLeft} recovery codes left.`}
          </p>
          <button
            type="button"
            className="button button-secondary"
            onClick={() =>
              setConfirmRequest({
                title: 'Make new recovery codes?',
                description: 'Ten new codes replace all of your current ones, which stop working at once.',
                confirmLabel: 'Make new codes',
                onConfirm: () => void newCodes(),
              })
            }
          >
            New recovery codes…
          </button>
        </div>
      )}
      <ConfirmDialog request={confirmRequest} onClose={() => setConfirmRequest(undefined)} />
    </section>
  );
}
