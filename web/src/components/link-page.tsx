import { useEffect, useRef, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { announce } from '../announcer.ts';
import { useAuthState } from '../session.ts';
import { Link } from '../router.tsx';
import { useOneTimeLink, type LinkOutcome } from '../use-one-time-link.ts';
import { usePageArrival } from '../use-page-arrival.ts';
import { AuthFrame } from './auth-layout.tsx';
import { FormAlert } from './form-alert.tsx';
import { Spinner } from './spinner.tsx';

/** What a link page says once it knows: its heading, and the message under it (also announced). */
export interface LinkVerdict {
  tone: 'success' | 'error';
  title: string;
  message: string;
  /** The way on: links home, to log in, to ask for a new link. */
  actions: ReactNode;
  /** For a failure that was not the server's verdict on the link (the network, the service away). */
  retry?: boolean;
}

/** The way on from a link page: the profile when logged in, else the login page. */
export function OnwardLink({ loggedIn }: { loggedIn: boolean }) {
  return (
    <Link to={loggedIn ? '/profile' : '/login'} className="button button-primary">
      {loggedIn ? 'Go to your profile' : 'Log in'}
    </Link>
  );
}

/**
 * A page an emailed link opens, whose token needs no form: it is sent as the page arrives, the
 * page says "checking" meanwhile, then what happened; the verdict is announced and focus goes to
 * the heading, which now names it. Logged in it shows inside the app's frame (the app renders it
 * there whenever it is not logged out), otherwise on its own.
 */
export function LinkPage<Data>({
  name,
  pageTitle,
  checkingTitle,
  token,
  send,
  verdict,
}: {
  /** The page's `data-page`. */
  name: string;
  /** The tab's title, announced when the page arrives by navigation. */
  pageTitle: string;
  checkingTitle: string;
  token: string | null;
  send(token: string): Promise<{ data?: Data | undefined; error?: CombinedError | undefined }>;
  verdict(outcome: Exclude<LinkOutcome<Data>, { status: 'checking' }>, loggedIn: boolean): LinkVerdict;
}) {
  const { status } = useAuthState();
  const loggedIn = status === 'logged-in';
  const heading = usePageArrival(pageTitle);
  const { outcome, retry } = useOneTimeLink(token, send);
  const said = outcome.status === 'checking' ? undefined : verdict(outcome, loggedIn);

  // Once per outcome, also under StrictMode's second run of effects.
  const announced = useRef<LinkOutcome<Data>>(undefined);
  useEffect(() => {
    if (!said || announced.current === outcome) return;
    announced.current = outcome;
    announce(said.message);
    heading.current?.focus();
  }, [outcome, said, heading]);

  const title = said?.title ?? checkingTitle;
  const body = said ? (
    <>
      <FormAlert tone={said.tone}>{said.message}</FormAlert>
      <div className="link-page-actions">
        {said.retry && (
          <button type="button" className="button button-secondary" onClick={retry}>
            Try again
          </button>
        )}
        {said.actions}
      </div>
    </>
  ) : (
    <p className="link-page-checking muted">
      <Spinner label={checkingTitle} />
      <span aria-hidden="true">One moment…</span>
    </p>
  );

  if (status !== 'logged-out') {
    return (
      <div className="page" data-page={name}>
        <section className="card" aria-labelledby="link-page-title" aria-busy={!said}>
          <h1 id="link-page-title" ref={heading} tabIndex={-1}>
            {title}
          </h1>
          {body}
        </section>
      </div>
    );
  }
  return (
    <div data-page={name} aria-busy={!said}>
      <AuthFrame heading={heading} title={title} footer={null}>
        {body}
      </AuthFrame>
    </div>
  );
}
