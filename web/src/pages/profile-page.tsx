import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { announce } from '../announcer.ts';
import { Avatar } from '../components/avatar.tsx';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { ChevronRightIcon } from '../components/icons.tsx';
import { PageError } from '../components/page-error.tsx';
import { PasswordDialog, type PasswordRequest } from '../components/password-dialog.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { errorMessage } from '../error-messages.ts';
import { checkEmail, checkName, mistakesOf } from '../field-checks.ts';
import { formatMonth } from '../format.ts';
import { graphql } from '../gql';
import { Link } from '../router.tsx';
import { useAuth } from '../session.ts';
import { useStepUp } from '../step-up.tsx';
import { usePageArrival } from '../use-page-arrival.ts';
import { useServerErrors } from '../use-server-errors.ts';

const ProfilePageQuery = graphql(`
  query ProfilePage {
    me {
      id
      email
      emailVerified
      name
      avatarUrl
      createdAt
    }
  }
`);

const SessionsSummaryQuery = graphql(`
  query SessionsSummary {
    sessions {
      id
    }
  }
`);

const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($name: String, $avatarUrl: String) {
    updateProfile(name: $name, avatarUrl: $avatarUrl) {
      id
      name
      avatarUrl
    }
  }
`);

const ChangeEmailMutation = graphql(`
  mutation ChangeEmail($newEmail: String!, $currentPassword: String!) {
    changeEmail(newEmail: $newEmail, currentPassword: $currentPassword)
  }
`);

const DeleteAccountMutation = graphql(`
  mutation DeleteAccount($currentPassword: String!) {
    deleteAccount(currentPassword: $currentPassword)
  }
`);

const INPUTS = ['name', 'avatarUrl'] as const;
const EMAIL_INPUTS = ['newEmail', 'currentPassword'] as const;

const SAVED = 'Your profile was saved.';

/** Name and avatar, saved together; an empty avatar address removes the picture. */
function ProfileForm({ initialName, initialAvatarUrl }: { initialName: string; initialAvatarUrl: string }) {
  const [{ fetching }, updateProfile] = useMutation(UpdateProfileMutation);
  const [name, setName] = useState(initialName);
  const [avatarUrl, setAvatarUrl] = useState(initialAvatarUrl);
  const errors = useServerErrors(INPUTS);
  const [saved, setSaved] = useState(false);
  const changed = name !== initialName || avatarUrl !== initialAvatarUrl;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    if (!errors.check(mistakesOf({ name: checkName(name) }))) return;
    const result = await updateProfile({ name, avatarUrl: avatarUrl.trim() === '' ? null : avatarUrl });
    if (result.error) return errors.report(result.error);
    setSaved(true);
    announce(SAVED);
  };

  const { formMessage } = errors;

  return (
    <form className="form" ref={errors.formRef} onSubmit={submit} noValidate>
      {formMessage && <FormAlert tone="error">{formMessage}</FormAlert>}
      {saved && !changed && <FormAlert tone="success">{SAVED}</FormAlert>}
      <Field label="Name" name="name" autoComplete="name" value={name} onChange={setName} error={errors.fields.name} />
      <Field
        label="Avatar URL"
        name="avatarUrl"
        type="url"
        inputMode="url"
        placeholder="https://example.com/me.png"
        value={avatarUrl}
        onChange={setAvatarUrl}
        error={errors.fields.avatarUrl}
        hint="A link to a square image. Leave it empty to show your initials."
      />
      <div className="form-actions">
        {/* Nothing to save keeps the button in place and focused, only inactive. */}
        <SubmitButton busy={fetching} busyLabel="Saving…" disabled={!changed || errors.waiting}>
          Save changes
        </SubmitButton>
      </div>
    </form>
  );
}
/** What happens after `changeEmail`: nothing changes until the link sent to the new address is followed. */
const followTheLinkMessage = (newEmail: string, currentEmail: string) =>
  `Almost done: follow the link we sent to ${newEmail} to confirm the change. Until then your address stays ${currentEmail}.`;

/**
 * A new address and the current password. The server sends a link to the new address (and a
 * notice to the old one); the account moves only when that link is followed.
 */
function ChangeEmailForm({ currentEmail }: { currentEmail: string }) {
  const [{ fetching }, changeEmail] = useMutation(ChangeEmailMutation);
  const [newEmail, setNewEmail] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const [sent, setSent] = useState<string>();
  const errors = useServerErrors(EMAIL_INPUTS);
  const withStepUp = useStepUp();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSent(undefined);
    const sameAddress = newEmail.trim().toLowerCase() === currentEmail.toLowerCase();
    const mistakes = mistakesOf({
      newEmail: checkEmail(newEmail) ?? (sameAddress ? 'This is already your address.' : undefined),
      currentPassword: currentPassword ? undefined : 'Enter your current password.',
    });
    if (!errors.check(mistakes)) return;
    const result = await withStepUp(() => changeEmail({ newEmail: newEmail.trim(), currentPassword }));
    if (result.error) return errors.report(result.error);
    const message = followTheLinkMessage(newEmail.trim(), currentEmail);
    setSent(message);
    setNewEmail('');
    setCurrentPassword('');
    announce(message);
  };

  const { formMessage } = errors;

  return (
    <form className="form form-narrow" ref={errors.formRef} onSubmit={submit} noValidate data-form="change-email">
      {formMessage && <FormAlert tone="error">{formMessage}</FormAlert>}
      {sent && !formMessage && <FormAlert tone="success">{sent}</FormAlert>}
      {/* Password managers know which account's password this is. */}
      <input type="email" name="username" autoComplete="username" value={currentEmail} readOnly hidden />
      <Field
        label="New email"
        name="newEmail"
        type="email"
        autoComplete="email"
        value={newEmail}
        onChange={setNewEmail}
        error={errors.fields.newEmail}
        hint="We send a link there; the change happens when you follow it."
      />
      <Field
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        value={currentPassword}
        onChange={setCurrentPassword}
        error={errors.fields.currentPassword}
      />
      <div className="form-actions">
        <SubmitButton busy={fetching} busyLabel="Sending the link…" disabled={errors.waiting}>
          Change email
        </SubmitButton>
      </div>
    </form>
  );
}

/**
 * Deleting the account, after the current password in a dialog. Once the server confirms, every
 * session is gone: the app moves to the login page, which says why.
 */
function DeleteAccount() {
  const auth = useAuth();
  const [, deleteAccount] = useMutation(DeleteAccountMutation);
  const [request, setRequest] = useState<PasswordRequest>();
  const withStepUp = useStepUp();

  const ask = () =>
    setRequest({
      title: 'Delete your account?',
      description: 'Your account, its sessions and its data go at once, on every device. This cannot be undone.',
      confirmLabel: 'Delete my account',
      busyLabel: 'Deleting…',
      async onConfirm(currentPassword) {
        const result = await withStepUp(() => deleteAccount({ currentPassword }));
        if (result.error) return result.error;
        auth.endSession('ACCOUNT_DELETED');
        return undefined;
      },
    });

  return (
    <section className="card" aria-labelledby="delete-account-title">
      <h2 id="delete-account-title">Delete account</h2>
      <p className="muted card-intro">Deletes your account and logs out every device. Nobody can undo it, not even us.</p>
      <div className="form-actions form-actions-start">
        <button type="button" className="button button-danger-quiet" onClick={ask}>
          Delete account…
        </button>
      </div>
      <PasswordDialog request={request} onClose={() => setRequest(undefined)} />
    </section>
  );
}

/** How many devices are logged in, with the way to the sessions page. */
function SecuritySummary() {
  const [{ data, error }] = useQuery({ query: SessionsSummaryQuery, requestPolicy: 'network-only' });
  const count = data?.sessions.length;
  return (
    <section className="card" aria-labelledby="security-title">
      <h2 id="security-title">Security</h2>
      <ul className="link-list">
        <li>
          <Link to="/sessions" className="link-row">
            <span>
              <strong>Sessions</strong>
              <span className="muted" data-testid="sessions-summary">
                {error
                  ? errorMessage(error)
                  : count === undefined
                    ? 'Counting your devices…'
                    : count === 1
                      ? 'Logged in on this device only'
                      : `Logged in on ${count} devices`}
              </span>
            </span>
            <ChevronRightIcon />
          </Link>
        </li>
        <li>
          <Link to="/security" className="link-row">
            <span>
              <strong>Two-step verification</strong>
              <span className="muted">Authenticator app, recovery codes and passkeys</span>
            </span>
            <ChevronRightIcon />
          </Link>
        </li>
        <li>
          <Link to="/password" className="link-row">
            <span>
              <strong>Password</strong>
              <span className="muted">Change it, and log out your other devices</span>
            </span>
            <ChevronRightIcon />
          </Link>
        </li>
      </ul>
    </section>
  );
}

/**
 * The signed-in user: who they are, their name and avatar to edit, and a way to their security
 * settings. The heading is one element from the placeholder to the loaded page (its text becomes
 * the user's name), so focus put on it when the page arrives stays there.
 */
export function ProfilePage() {
  const heading = usePageArrival('Profile');
  const [{ data, error }, reexecute] = useQuery({ query: ProfilePageQuery, requestPolicy: 'network-only' });
  const me = data?.me;
  return (
    <div className="page" data-page="profile">
      <section className="card" aria-labelledby="profile-title" aria-busy={!me}>
        <div className="profile-header">
          {me ? <Avatar name={me.name} url={me.avatarUrl} size={72} /> : <span className="skeleton skeleton-avatar" />}
          <div className={me ? 'profile-identity' : 'skeleton-lines'}>
            <h1 id="profile-title" ref={heading} tabIndex={-1} className={me ? undefined : 'visually-hidden'}>
              {me ? me.name : 'Profile'}
            </h1>
            {me ? (
              <>
                <p className="muted">
                  <span className="profile-email">{me.email}</span>
                  {!me.emailVerified && <span className="badge badge-warning">Not verified</span>}
                </p>
                <p className="muted small">Member since {formatMonth(me.createdAt)}</p>
              </>
            ) : (
              !error && (
                <>
                  <span className="skeleton skeleton-line wide" />
                  <span className="skeleton skeleton-line" />
                </>
              )
            )}
          </div>
        </div>
        {me ? (
          <>
            <hr />
            <h2>Edit profile</h2>
            <ProfileForm key={me.id} initialName={me.name} initialAvatarUrl={me.avatarUrl ?? ''} />
          </>
        ) : (
          error && <PageError message={errorMessage(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        )}
      </section>
      <SecuritySummary />
      {me && (
        <section className="card" aria-labelledby="email-title">
          <h2 id="email-title">Email address</h2>
          <p className="muted card-intro">
            You log in with <strong>{me.email}</strong>.
          </p>
          <ChangeEmailForm key={me.email} currentEmail={me.email} />
        </section>
      )}
      {me && <DeleteAccount />}
    </div>
  );
}
