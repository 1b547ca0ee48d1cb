import { useEffect, useRef, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { announce } from '../announcer.ts';
import { ConfirmDialog, type ConfirmRequest } from '../components/confirm-dialog.tsx';
import { FormAlert } from '../components/form-alert.tsx';
import { DesktopIcon, MobileIcon, TerminalIcon } from '../components/icons.tsx';
import { PageError } from '../components/page-error.tsx';
import { describeDevice } from '../device.ts';
import { errorMessage } from '../error-messages.ts';
import { formatDate, formatTimeAgo } from '../format.ts';
import { graphql } from '../gql';
import type { SessionsPageQuery as SessionsPageData } from '../gql/graphql.ts';
import { usePageArrival } from '../use-page-arrival.ts';

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

/** A device as people tell it from the others: "Chrome on Linux, 127.0.0.1". */
const deviceName = (session: Session) => `${describeDevice(session.userAgent).label}, ${session.ip ?? 'unknown address'}`;

const sessionsCount = (count: number) => (count === 1 ? '1 other session' : `${count} other sessions`);

/**
 * One session: the device, where and when it was used, and a way to end it unless it is this one.
 * Revoking asks first; the button's name says which device it ends.
 */
function SessionRow({
  session,
  confirm,
  onRevoked,
}: {
  session: Session;
  confirm(request: ConfirmRequest): void;
  onRevoked(session: Session): void;
}) {
  const [{ fetching }, revoke] = useMutation(RevokeSessionMutation);
  const [error, setError] = useState<string>();
  const device = describeDevice(session.userAgent);
  const Icon = DEVICE_ICONS[device.kind];
  const name = deviceName(session);

  const revokeSession = async () => {
    setError(undefined);
    const result = await revoke({ id: session.id });
    if (result.error) {
      const message = errorMessage(result.error);
      setError(message);
      return announce(`${name} was not logged out. ${message}`);
    }
    onRevoked(session);
  };

  const askFirst = () =>
    confirm({
      title: `Revoke ${device.label}?`,
      description: `${name} will be logged out at once and need the password to come back.`,
      confirmLabel: 'Revoke',
      onConfirm: () => void revokeSession(),
    });

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
        <button
          type="button"
          className="button button-danger-quiet"
          data-revoke
          aria-disabled={fetching || undefined}
          aria-busy={fetching || undefined}
          onClick={fetching ? undefined : askFirst}
        >
          {fetching ? 'Revoking…' : 'Revoke'}
          <span className="visually-hidden"> {name}</span>
        </button>
      )}
    </li>
  );
}

/**
 * Every device logged in to the account, this one first; revoke one, or all but this one, each
 * after a confirmation. Focus never falls to the page: after a revoke it goes to the next row's
 * button (or the heading when none is left), and the result is announced.
 */
export function SessionsPage() {
  const heading = usePageArrival('Sessions');
  const [{ data, error }, reexecute] = useQuery({ query: SessionsPageQuery, requestPolicy: 'network-only' });
  const [logOutOthersState, logOutOthers] = useMutation(LogOutOtherSessionsMutation);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string }>();
  const [confirmRequest, setConfirmRequest] = useState<ConfirmRequest>();
  // Hidden at once, before the list reloads, so focus can move on to the row that takes its place.
  const [revoked, setRevoked] = useState<ReadonlySet<string>>(new Set());
  const [focusAfterRevoke, setFocusAfterRevoke] = useState<{ index: number }>();
  const list = useRef<HTMLUListElement>(null);
  const reload = () => reexecute({ requestPolicy: 'network-only' });

  const sessions = data
    ? [...data.sessions].filter((session) => !revoked.has(session.id)).sort((a, b) => Number(b.current) - Number(a.current))
    : undefined;
  const others = sessions?.filter((session) => !session.current) ?? [];
  const endingOthers = logOutOthersState.fetching;

  useEffect(() => {
    if (!focusAfterRevoke) return;
    const buttons = list.current?.querySelectorAll<HTMLElement>('[data-revoke]') ?? [];
    (buttons[Math.min(focusAfterRevoke.index, buttons.length - 1)] ?? heading.current)?.focus();
  }, [focusAfterRevoke, heading]);

  const onRevoked = (session: Session) => {
    setFocusAfterRevoke({ index: Math.max(0, others.findIndex((other) => other.id === session.id)) });
    setRevoked((ids) => new Set(ids).add(session.id));
    announce(`${deviceName(session)} was logged out.`);
    reload();
  };

  const endOthers = async () => {
    setNotice(undefined);
    const result = await logOutOthers({});
    if (result.error) {
      const text = errorMessage(result.error);
      setNotice({ tone: 'error', text });
      return announce(text);
    }
    const text = `Logged out of ${sessionsCount(result.data?.logoutAll ?? 0)}.`;
    setNotice({ tone: 'success', text });
    announce(text);
    heading.current?.focus();
    reload();
  };

  const askToEndOthers = () =>
    setConfirmRequest({
      title: 'Log out everywhere else?',
      description: `${sessionsCount(others.length)} will be logged out at once. This device stays logged in.`,
      confirmLabel: 'Log out everywhere else',
      onConfirm: () => void endOthers(),
    });

  return (
    <div className="page" data-page="sessions">
      <section className="card" aria-labelledby="sessions-title" aria-busy={!sessions}>
        <div className="card-header">
          <div>
            <h1 id="sessions-title" ref={heading} tabIndex={-1}>
              Sessions
            </h1>
            <p className="muted">Devices logged in to your account. Revoke any you do not recognise.</p>
          </div>
          {/* Inactive rather than disabled, so focus stays on it while it works or once nothing is left to end. */}
          <button
            type="button"
            className="button button-secondary"
            onClick={others.length === 0 || endingOthers ? undefined : askToEndOthers}
            aria-disabled={others.length === 0 || endingOthers || undefined}
            aria-busy={endingOthers || undefined}
          >
            {endingOthers ? 'Logging out…' : 'Log out everywhere else'}
          </button>
        </div>
        {notice && <FormAlert tone={notice.tone}>{notice.text}</FormAlert>}
        {sessions ? (
          <ul className="session-list" ref={list}>
            {sessions.map((session) => (
              <SessionRow key={session.id} session={session} confirm={setConfirmRequest} onRevoked={onRevoked} />
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
      <ConfirmDialog request={confirmRequest} onClose={() => setConfirmRequest(undefined)} />
    </div>
  );
}
