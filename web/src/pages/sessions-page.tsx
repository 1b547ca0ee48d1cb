import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { FormAlert } from '../components/form-alert.tsx';
import { DesktopIcon, MobileIcon, TerminalIcon } from '../components/icons.tsx';
import { PageError } from '../components/page-error.tsx';
import { describeDevice } from '../device.ts';
import { errorMessage } from '../error-messages.ts';
import { formatDate, formatTimeAgo } from '../format.ts';
import { graphql } from '../gql';
import type { SessionsPageQuery as SessionsPageData } from '../gql/graphql.ts';
import { usePageTitle } from '../use-page-title.ts';

const SessionsPageQuery = graphql(`
  query SessionsPage {
    sessions {
      id
      userAgent
      ip
      createdAt
      lastUsedAt
      expiresAt
      current
    }
  }
`);

const RevokeSessionMutation = graphql(`
  mutation RevokeSession($id: ID!) {
    revokeSession(id: $id)
  }
`);

const LogOutOtherSessionsMutation = graphql(`
  mutation LogOutOtherSessions {
    logoutAll(exceptCurrent: true)
  }
`);

type Session = SessionsPageData['sessions'][number];

const DEVICE_ICONS = { desktop: DesktopIcon, mobile: MobileIcon, program: TerminalIcon };

/** One session: the device, where and when it was used, and a way to end it unless it is this one. */
function SessionRow({ session, onRevoked }: { session: Session; onRevoked(): void }) {
  const [{ fetching }, revoke] = useMutation(RevokeSessionMutation);
  const [error, setError] = useState<string>();
  const device = describeDevice(session.userAgent);
  const Icon = DEVICE_ICONS[device.kind];

  const revokeSession = async () => {
    setError(undefined);
    const result = await revoke({ id: session.id });
    if (result.error) return setError(errorMessage(result.error));
    onRevoked();
  };

  return (
    <li className="session" data-session-id={session.id} data-current={session.current || undefined}>
      <span className="session-icon">
        <Icon />
      </span>
      <div className="session-body">
        <p className="session-title">
          {device.label}
          {session.current && <span className="badge">This device</span>}
        </p>
        <p className="muted small">
          {session.ip ?? 'Unknown address'} · {session.current ? 'Active now' : `Last active ${formatTimeAgo(session.lastUsedAt)}`} · Logged in{' '}
          {formatDate(session.createdAt)}
        </p>
        {error && <p className="field-error">{error}</p>}
      </div>
      {!session.current && (
        <button type="button" className="button button-danger-quiet" onClick={revokeSession} disabled={fetching} aria-busy={fetching}>
          {fetching ? 'Revoking…' : 'Revoke'}
        </button>
      )}
    </li>
  );
}

/** Every device logged in to the account, this one first; revoke one, or all but this one. */
export function SessionsPage() {
  usePageTitle('Sessions');
  const [{ data, error }, reexecute] = useQuery({ query: SessionsPageQuery, requestPolicy: 'network-only' });
  const [logOutOthersState, logOutOthers] = useMutation(LogOutOtherSessionsMutation);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string }>();
  const reload = () => reexecute({ requestPolicy: 'network-only' });

  const sessions = data ? [...data.sessions].sort((a, b) => Number(b.current) - Number(a.current)) : undefined;
  const others = sessions?.filter((session) => !session.current).length ?? 0;

  const endOthers = async () => {
    setNotice(undefined);
    const result = await logOutOthers({});
    if (result.error) return setNotice({ tone: 'error', text: errorMessage(result.error) });
    const ended = result.data?.logoutAll ?? 0;
    setNotice({ tone: 'success', text: ended === 1 ? 'Logged out of 1 other session.' : `Logged out of ${ended} other sessions.` });
    reload();
  };

  return (
    <div className="page" data-page="sessions">
      <section className="card" aria-labelledby="sessions-title" aria-busy={!sessions}>
        <div className="card-header">
          <div>
            <h1 id="sessions-title">Sessions</h1>
            <p className="muted">Devices logged in to your account. Revoke any you do not recognise.</p>
          </div>
          <button
            type="button"
            className="button button-secondary"
            onClick={endOthers}
            disabled={others === 0 || logOutOthersState.fetching}
            aria-busy={logOutOthersState.fetching}
          >
            {logOutOthersState.fetching ? 'Logging out…' : 'Log out everywhere else'}
          </button>
        </div>
        {notice && <FormAlert tone={notice.tone}>{notice.text}</FormAlert>}
        {sessions ? (
          <ul className="session-list">
            {sessions.map((session) => (
              <SessionRow key={session.id} session={session} onRevoked={reload} />
            ))}
          </ul>
        ) : error ? (
          <PageError message={errorMessage(error)} onRetry={reload} />
        ) : (
          <ul className="session-list" aria-hidden="true">
            {[0, 1].map((index) => (
              <li key={index} className="session">
                <span className="skeleton skeleton-icon" />
                <div className="skeleton-lines">
                  <span className="skeleton skeleton-line wide" />
                  <span className="skeleton skeleton-line" />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
