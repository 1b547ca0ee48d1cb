import type { ComponentType } from 'react';
import { useQuery, type CombinedError } from 'urql';
import type { AuthStatus } from './auth/index.ts';
import { AppShell } from './components/app-shell.tsx';
import { PageError } from './components/page-error.tsx';
import { SplashScreen } from './components/splash-screen.tsx';
import { errorMessage, sessionEndedMessage } from './error-messages.ts';
import { ViewerQuery } from './viewer.ts';
import { ChangePasswordPage } from './pages/change-password-page.tsx';
import { ConfirmEmailPage } from './pages/confirm-email-page.tsx';
import { ForgotPasswordPage } from './pages/forgot-password-page.tsx';
import { LoginPage } from './pages/login-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { ProfilePage } from './pages/profile-page.tsx';
import { ResetPasswordPage } from './pages/reset-password-page.tsx';
import { SecurityPage } from './pages/security-page.tsx';
import { SessionsPage } from './pages/sessions-page.tsx';
import { SignupPage } from './pages/signup-page.tsx';
import { VerifyEmailPage } from './pages/verify-email-page.tsx';
import { Redirect, redirectedFrom, usePathname } from './router.tsx';
import { useAuthState } from './session.ts';


/** The pages behind the login, by path. */
const PAGES: Record<string, ComponentType> = {
  '/profile': ProfilePage,
  '/sessions': SessionsPage,
  '/password': ChangePasswordPage,
  '/security': SecurityPage,
};

/** The pages of emailed links that work logged in (inside the app's frame) and logged out alike. */
const LINK_PAGES: Record<string, ComponentType> = {
  '/verify-email': VerifyEmailPage,
  '/confirm-email': ConfirmEmailPage,
};

/**
 * Recovering a password stands on its own, whoever is logged in: someone logged in who forgot the
 * password cannot change it without it, and the reset link proves who the user is.
 */
const RECOVERY_PAGES: Record<string, ComponentType> = {
  '/forgot-password': ForgotPasswordPage,
  '/reset-password': ResetPasswordPage,
};

const HOME = '/profile';
const PUBLIC_PATHS = new Set(['/login', '/signup']);
/** `/` goes home: the profile when logged in, the login page otherwise. */
const isKnownPath = (pathname: string) =>
  pathname === '/' ||
  PUBLIC_PATHS.has(pathname) ||
  Object.hasOwn(PAGES, pathname) ||
  Object.hasOwn(LINK_PAGES, pathname) ||
  Object.hasOwn(RECOVERY_PAGES, pathname);

/** An error after which the auth exchange moves to logged-out (every `UNAUTHENTICATED` but an unrefreshed expiry). */
const endsSession = (error: CombinedError) =>
  error.graphQLErrors.some((item) => item.extensions.code === 'UNAUTHENTICATED' && item.extensions.reason !== 'TOKEN_EXPIRED');

/**
 * Logged out: the login and sign-up pages, and the pages of emailed links; any other path goes to
 * the login page and comes back after it.
 */
function PublicPages({ pathname, loggedOutReason }: { pathname: string; loggedOutReason: string | null }) {
  if (pathname === '/signup') return <SignupPage />;
  const LinkPage = LINK_PAGES[pathname];
  if (LinkPage) return <LinkPage />;
  if (pathname !== '/login') return <Redirect to="/login" {...(PAGES[pathname] ? { from: pathname } : {})} />;
  return <LoginPage notice={sessionEndedMessage(loggedOutReason)} />;
}

/**
 * Logged in, or not known yet. A session remembered from before a reload shows the app at once,
 * its data loading in parallel; without one, the splash screen shows until `me` answers, so nobody
 * sees the login page flash before their account (or their account before the login page).
 */
function SignedInPages({ pathname, status }: { pathname: string; status: AuthStatus }) {
  const [{ data, error }, reexecute] = useQuery({ query: ViewerQuery, requestPolicy: 'network-only' });
  const viewer = data?.me;
  // Such an error ends the session in the auth exchange, which shows the login page next.
  if (!viewer && error && !endsSession(error)) {
    return (
      <main className="splash">
        <PageError message={errorMessage(error)} onRetry={() => reexecute({ requestPolicy: 'network-only' })} />
      </main>
    );
  }
  if (!viewer && status !== 'logged-in') return <SplashScreen />;
  if (PUBLIC_PATHS.has(pathname)) return <Redirect to={redirectedFrom() ?? HOME} />;
  const Page = PAGES[pathname] ?? LINK_PAGES[pathname];
  if (!Page) return <Redirect to={HOME} />;
  return (
    <AppShell viewer={viewer} pathname={pathname}>
      <Page />
    </AppShell>
  );
}

/** Chooses between the public pages and the app from the auth exchange's state, and routes by path. */
export function App() {
  const { status, loggedOutReason } = useAuthState();
  const pathname = usePathname();
  // Known or not, whoever is asking: an unknown path is not a reason to log in.
  if (!isKnownPath(pathname)) return <NotFoundPage pathname={pathname} />;
  const RecoveryPage = RECOVERY_PAGES[pathname];
  if (RecoveryPage) return <RecoveryPage />;
  if (status === 'logged-out') return <PublicPages pathname={pathname} loggedOutReason={loggedOutReason} />;
  return <SignedInPages pathname={pathname} status={status} />;
}
