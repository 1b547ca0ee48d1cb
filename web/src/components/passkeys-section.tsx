import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { announce } from '../announcer.ts';
import { errorMessage } from '../error-messages.ts';
import { formatDate, formatTimeAgo } from '../format.ts';
import { graphql } from '../gql';
import { createPasskey } from '../passkey-ceremony.ts';
import { useStepUp } from '../step-up.tsx';
import { useServerErrors } from '../use-server-errors.ts';
import { ConfirmDialog, type ConfirmRequest } from './confirm-dialog.tsx';
import { Field } from './field.tsx';
import { FormAlert } from './form-alert.tsx';
import { SubmitButton } from './submit-button.tsx';

const PasskeyRegistrationOptionsMutation = graphql(`
  mutation PasskeyRegistrationOptions {
    passkeyRegistrationOptions
  }
`);

const RegisterPasskeyMutation = graphql(`
  mutation RegisterPasskey($name: String!, $response: String!) {
    registerPasskey(name: $name, response: $response) {
      id
      name
    }
  }
`);

const RenamePasskeyMutation = graphql(`
  mutation RenamePasskey($id: ID!, $name: String!) {
    renamePasskey(id: $id, name: $name) {
      id
      name
    }
  }
`);

const RemovePasskeyMutation = graphql(`
  mutation RemovePasskey($id: ID!) {
    removePasskey(id: $id)
  }
`);

/** A passkey as the security page lists it. */
export interface PasskeyListItem {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string | null;
}

const NAME_INPUTS = ['name'] as const;
const MAX_NAME_LENGTH = 64;

/** The server's rule for a passkey's name, checked before asking it. */
const checkPasskeyName = (name: string) =>
  name.trim().length === 0 || name.trim().length > MAX_NAME_LENGTH ? `Enter a name of 1 to ${MAX_NAME_LENGTH} characters, such as the device it is on.` : undefined;

/** Naming a passkey: the field, checked here first, and the server's refusal under it. */
function useNameErrors() {
  const errors = useServerErrors(NAME_INPUTS);
  return {
    ...errors,
    checkName: (name: string) => errors.check(checkPasskeyName(name) ? { name: checkPasskeyName(name)! } : {}),
  };
}

/** Renaming one passkey, in its row: focus starts in the field, and goes back to "Rename" after. */
function RenameForm({ passkey, onDone }: { passkey: PasskeyListItem; onDone(renamedTo: string | undefined): void }) {
  const [{ fetching }, rename] = useMutation(RenamePasskeyMutation);
  const [name, setName] = useState(passkey.name);
  const errors = useNameErrors();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.select(), []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!errors.checkName(name)) return;
    const result = await rename({ id: passkey.id, name: name.trim() });
    if (!result.data) return errors.report(result.error);
    onDone(result.data.renamePasskey.name);
  };

  return (
    <form className="form" ref={errors.formRef} onSubmit={submit} noValidate data-rename={passkey.id}>
      {errors.formMessage && <FormAlert tone="error">{errors.formMessage}</FormAlert>}
      <Field label={`New name for ${passkey.name}`} name="name" value={name} onChange={setName} error={errors.fields.name} inputRef={input} maxLength={MAX_NAME_LENGTH} />
      <div className="passkey-actions">
        <SubmitButton busy={fetching} busyLabel="Saving…" disabled={errors.waiting}>
          Save name
        </SubmitButton>
        <button type="button" className="button button-secondary" onClick={() => onDone(undefined)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** One passkey: its name, when it was added and last used, and the ways to rename or remove it. */
function PasskeyRow({ passkey, confirm, onRemoved, onRenamed }: { passkey: PasskeyListItem; confirm(request: ConfirmRequest): void; onRemoved(passkey: PasskeyListItem): void; onRenamed(): void }) {
  const [{ fetching }, remove] = useMutation(RemovePasskeyMutation);
  const withStepUp = useStepUp();
  const [renaming, setRenaming] = useState(false);
  const [error, setError] = useState<string>();
  const renameButton = useRef<HTMLButtonElement>(null);
  const [focusRename, setFocusRename] = useState(0);

  useEffect(() => {
    if (focusRename > 0) renameButton.current?.focus();
  }, [focusRename]);

  const removePasskey = async () => {
    setError(undefined);
    const result = await withStepUp(() => remove({ id: passkey.id }));
    if (result.error) {
      const message = errorMessage(result.error);
      setError(message);
      return announce(`${passkey.name} was not removed. ${message}`);
    }
    onRemoved(passkey);
  };

  return (
    <li className="session" data-passkey={passkey.name}>
      <div className="session-body">
        {renaming ? (
          <RenameForm
            passkey={passkey}
            onDone={(renamedTo) => {
              setRenaming(false);
              setFocusRename((requests) => requests + 1);
              if (renamedTo !== undefined) {
                announce(`Renamed to ${renamedTo}.`);
                onRenamed();
              }
            }}
          />
        ) : (
          <>
            <p className="session-title">{passkey.name}</p>
            <p className="muted small">
              Added {formatDate(passkey.createdAt)} · {passkey.lastUsedAt ? `Last used ${formatTimeAgo(passkey.lastUsedAt)}` : 'Never used yet'}
            </p>
          </>
        )}
        {error && <p className="field-error">{error}</p>}
      </div>
      {!renaming && (
        <div className="passkey-actions">
          <button type="button" className="button button-quiet" ref={renameButton} onClick={() => setRenaming(true)}>
            Rename<span className="visually-hidden"> {passkey.name}</span>
          </button>
          <button
            type="button"
            className="button button-danger-quiet"
            aria-disabled={fetching || undefined}
            aria-busy={fetching || undefined}
            onClick={
              fetching
                ? undefined
                : () =>
                    confirm({
                      title: `Remove ${passkey.name}?`,
                      description: 'It will no longer sign you in. The passkey stays on the device until you delete it there.',
                      confirmLabel: 'Remove',
                      onConfirm: () => void removePasskey(),
                    })
            }
          >
            {fetching ? 'Removing…' : 'Remove'}
            <span className="visually-hidden"> {passkey.name}</span>
          </button>
        </div>
      )}
    </li>
  );
}

/** Adding a passkey: its name, then the browser's own prompt (`startRegistration`). */
function AddPasskeyForm({ onAdded }: { onAdded(name: string): void }) {
  const [, registrationOptions] = useMutation(PasskeyRegistrationOptionsMutation);
  const [, registerPasskey] = useMutation(RegisterPasskeyMutation);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const errors = useNameErrors();
  const withStepUp = useStepUp();

  const refuse = (text: string) => {
    setBusy(false);
    setRefusal(text);
    announce(text);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setRefusal(undefined);
    if (!errors.checkName(name)) return;
    setBusy(true);
    // An account with a second factor adds another only with one proven recently.
    const options = await withStepUp(() => registrationOptions({}));
    if (!options.data) {
      setBusy(false);
      return errors.report(options.error);
    }
    const ceremony = await createPasskey(options.data.passkeyRegistrationOptions);
    if (!ceremony.ok) return refuse(ceremony.message);
    const result = await registerPasskey({ name: name.trim(), response: ceremony.response });
    setBusy(false);
    if (!result.data) return errors.report(result.error);
    setName('');
    onAdded(result.data.registerPasskey.name);
  };

  return (
    <form className="form form-narrow" ref={errors.formRef} onSubmit={submit} noValidate data-form="add-passkey">
      {errors.formMessage && <FormAlert tone="error">{errors.formMessage}</FormAlert>}
      {refusal && !errors.formMessage && <FormAlert tone="error">{refusal}</FormAlert>}
      <Field
        label="Passkey name"
        name="name"
        value={name}
        onChange={setName}
        error={errors.fields.name}
        hint="Such as the device it lives on: “Work laptop”."
        maxLength={MAX_NAME_LENGTH}
      />
      <div className="form-actions form-actions-start">
        <SubmitButton busy={busy} busyLabel="Waiting for your passkey…" disabled={errors.waiting}>
          Add a passkey
        </SubmitButton>
      </div>
    </form>
  );
}

/**
 * The account's passkeys, newest first: each with its name, when it was added and last used;
 * add one, rename one, remove one (after a confirmation, and a second factor proven recently when
 * the server asks for it). After a removal focus goes to the section's heading.
 */
export function PasskeysSection({ passkeys, onChanged }: { passkeys: readonly PasskeyListItem[]; onChanged(): void }) {
  const [confirmRequest, setConfirmRequest] = useState<ConfirmRequest>();
  const [notice, setNotice] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const shown = passkeys.filter((passkey) => !removed.has(passkey.id));

  const tell = (text: string) => {
    setNotice(text);
    announce(text);
  };

  return (
    <section className="card" aria-labelledby="passkeys-title" data-section="passkeys">
      <h2 id="passkeys-title" ref={heading} tabIndex={-1}>
        Passkeys
      </h2>
      <p className="muted card-intro">Sign in with your fingerprint, face or device PIN instead of a password. A passkey counts as two steps at once.</p>
      {notice && <FormAlert tone="success">{notice}</FormAlert>}
      {shown.length > 0 ? (
        <ul className="session-list" aria-label="Your passkeys">
          {shown.map((passkey) => (
            <PasskeyRow
              key={passkey.id}
              passkey={passkey}
              confirm={setConfirmRequest}
              onRenamed={onChanged}
              onRemoved={(gone) => {
                setRemoved((ids) => new Set(ids).add(gone.id));
                heading.current?.focus();
                tell(`${gone.name} was removed: it no longer signs you in.`);
                onChanged();
              }}
            />
          ))}
        </ul>
      ) : (
        <p data-testid="no-passkeys">You have no passkeys yet.</p>
      )}
      <h3>Add a passkey</h3>
      <AddPasskeyForm
        onAdded={(name) => {
          tell(`Passkey ${name} added. You can now sign in with it.`);
          onChanged();
        }}
      />
      <ConfirmDialog request={confirmRequest} onClose={() => setConfirmRequest(undefined)} />
    </section>
  );
}
