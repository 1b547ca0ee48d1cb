import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { Avatar } from '../components/avatar.tsx';
import { Field } from '../components/field.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { ChevronRightIcon } from '../components/icons.tsx';
import { PageError } from '../components/page-error.tsx';
import { errorMessage, formErrors, type FormErrors } from '../error-messages.ts';
import { formatMonth } from '../format.ts';
import { graphql } from '../gql';
import { Link } from '../router.tsx';
import { usePageTitle } from '../use-page-title.ts';

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

/** Name and avatar, saved together; an empty avatar address removes the picture. */
function ProfileForm({ initialName, initialAvatarUrl }: { initialName: string; initialAvatarUrl: string }) {
  const [{ fetching }, updateProfile] = useMutation(UpdateProfileMutation);
  const [name, setName] = useState(initialName);
  const [avatarUrl, setAvatarUrl] = useState(initialAvatarUrl);
  const [errors, setErrors] = useState<FormErrors>({ fields: {} });
  const [saved, setSaved] = useState(false);
  const changed = name !== initialName || avatarUrl !== initialAvatarUrl;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({ fields: {} });
    setSaved(false);
    const result = await updateProfile({ name, avatarUrl: avatarUrl.trim() === '' ? null : avatarUrl });
    if (result.error) return setErrors(formErrors(result.error, INPUTS));
    setSaved(true);
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      {errors.form && <FormAlert tone="error">{errors.form}</FormAlert>}
      {saved && !changed && <FormAlert tone="success">Your profile was saved.</FormAlert>}
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
        <button type="submit" className="button button-primary" disabled={fetching || !changed} aria-busy={fetching}>
          {fetching && <span className="spinner spinner-inverse" aria-hidden="true" />}
          {fetching ? 'Saving…' : 'Save changes'}
        </button>
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

/** The signed-in user: who they are, their name and avatar to edit, and a way to their security settings. */
export function ProfilePage() {
  usePageTitle('Profile');
  const [{ data, error }, reexecute] = useQuery({ query: ProfilePageQuery, requestPolicy: 'network-only' });
  const me = data?.me;
  return (
    <div className="page" data-page="profile">
      <section className="card" aria-labelledby="profile-title" aria-busy={!me}>
        {me ? (
          <>
            <div className="profile-header">
              <Avatar name={me.name} url={me.avatarUrl} size={72} />
              <div>
                <h1 id="profile-title">{me.name}</h1>
                <p className="muted">{me.email}</p>
                <p className="muted small">Member since {formatMonth(me.createdAt)}</p>
              </div>
            </div>
            <hr />
            <h2>Edit profile</h2>
            <ProfileForm key={me.id} initialName={me.name} initialAvatarUrl={me.avatarUrl ?? ''} />
          </>
        ) : error ? (
          <PageError message={errorMessage(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
        ) : (
          <div className="profile-header">
            <span className="skeleton skeleton-avatar" />
            <div className="skeleton-lines">
              <h1 id="profile-title" className="visually-hidden">
                Profile
              </h1>
              <span className="skeleton skeleton-line wide" />
              <span className="skeleton skeleton-line" />
            </div>
          </div>
        )}
      </section>
      <SecuritySummary />
    </div>
  );
}
