import { useState, type MouseEvent, type ReactNode } from 'react';
import { Link, routeNotice } from '../router.tsx';
import { useAuth } from '../session.ts';
import { StepUpProvider } from '../step-up.tsx';
import { Avatar } from './avatar.tsx';
import { FormAlert } from './form-alert.tsx';
import { LogoMark } from './icons.tsx';
import { VerifyEmailBanner } from './verify-email-banner.tsx';

export interface ShellViewer {
  name: string;
  email: string;
  avatarUrl?: string | null;
  emailVerified: boolean;
}

const NAVIGATION = [
  { to: '/profile', label: 'Profile' },
  { to: '/sessions', label: 'Sessions' },
  { to: '/password', label: 'Password' },
  { to: '/security', label: 'Security' },
];

type LogoutProgress = 'idle' | 'busy' | 'failed';

/**
 * Logging out: the app moves to the login page once the server confirmed. Until then the session
 * is alive, so a failure says so and offers a retry instead of pretending.
 */
function useLogout(): { progress: LogoutProgress; logOut(): void } {
  const [progress, setProgress] = useState<LogoutProgress>('idle');
  const auth = useAuth();
  return {
    progress,
    logOut() {
      setProgress('busy');
      void auth.logout().then((ended) => {
        if (!ended) setProgress('failed');
      });
    },
  };
}

/**
 * The skip link's target: the page's main heading, so the next Tab goes on from there and a screen
 * reader reads where the user landed; the `<main>` itself when there is none.
 */
function skipToContent(event: MouseEvent<HTMLAnchorElement>) {
  event.preventDefault();
  const main = document.getElementById('main');
  (main?.querySelector<HTMLElement>('h1[tabindex]') ?? main)?.focus();
}

/**
 * The signed-in frame: a skip link, brand, navigation, who is logged in, and logging out; a banner
 * while the email address is unverified, and the notice the page was reached with (a password
 * just reset).
 */
export function AppShell({ viewer, pathname, children }: { viewer: ShellViewer | undefined; pathname: string; children: ReactNode }) {
  const { progress, logOut } = useLogout();
  const notice = routeNotice();
  return (
    <div className="shell">
      <a href="#main" className="skip-link" onClick={skipToContent}>
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <Link to="/profile" className="brand">
            <LogoMark width={28} height={28} />
            <span>GraphQL Auth</span>
          </Link>
          <nav className="nav" aria-label="Account">
            {NAVIGATION.map((item) => (
              <Link key={item.to} to={item.to} className="nav-link" aria-current={pathname === item.to ? 'page' : undefined}>
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="account">
            {viewer ? (
              <>
                <Avatar name={viewer.name} url={viewer.avatarUrl} size={32} />
                <span className="account-name" data-testid="account-name">
                  {viewer.name}
                </span>
              </>
            ) : (
              <span className="skeleton skeleton-account" aria-hidden="true" />
            )}
            {/* Inactive rather than disabled while busy, so focus stays on it if the logout fails. */}
            <button
              type="button"
              className="button button-quiet"
              aria-disabled={progress === 'busy' || undefined}
              onClick={progress === 'busy' ? undefined : logOut}
            >
              {progress === 'busy' ? 'Logging out…' : 'Log out'}
            </button>
          </div>
        </div>
      </header>
      {progress === 'failed' && (
        <div className="shell-notice">
          <FormAlert tone="error" role="alert">
            <p>Logging out failed: the server did not confirm it, so you are still logged in, here and in your other tabs.</p>
            <button type="button" className="button button-quiet alert-action" onClick={logOut}>
              Try again
            </button>
          </FormAlert>
        </div>
      )}
      {viewer && !viewer.emailVerified && <VerifyEmailBanner email={viewer.email} />}
      <main id="main" className="content" tabIndex={-1}>
        {notice && (
          <div className="route-notice">
            <FormAlert tone="success">{notice}</FormAlert>
          </div>
        )}
        <StepUpProvider>{children}</StepUpProvider>
      </main>
    </div>
  );
}
