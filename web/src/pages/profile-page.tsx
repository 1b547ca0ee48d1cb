import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { announce } from '../announcer.ts';
import { Avatar } from '../components/avatar.tsx';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { ChevronRightIcon } from '../components/icons.tsx';
import { PageError } from '../components/page-error.tsx';
import { SubmitButton } from '../components/submit-button.tsx';
import { errorMessage } from '../error-messages.ts';
import { checkName, mistakesOf } from '../field-checks.ts';
import { formatMonth } from '../format.ts';
import { graphql } from '../gql';
import { Link } from '../router.tsx';
import { usePageArrival } from '../use-page-arrival.ts';
import { useServerErrors } from '../use-server-errors.ts';

const ProfilePageQuery = graphql(`
  query ProfilePage {
    me {
      id
      email
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

const INPUTS = ['name', 'avatarUrl'] as const;

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
                <p className="muted profile-email">{me.email}</p>
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
    </div>
  );
}
