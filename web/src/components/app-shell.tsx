import { useState, type ReactNode } from 'react';
import { auth } from '../client.ts';
import { Link } from '../router.tsx';
import { Avatar } from './avatar.tsx';
import { LogoMark } from './icons.tsx';

export interface ShellViewer {
  name: string;
  email: string;
  avatarUrl?: string | null;
}

const NAVIGATION = [
  { to: '/profile', label: 'Profile' },
  { to: '/sessions', label: 'Sessions' },
  { to: '/password', label: 'Password' },
];

/** Logs out here; the app moves to the login page as the session ends. */
function LogoutButton() {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="button button-quiet"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void auth.logout();
      }}
    >
      {busy ? 'Logging out…' : 'Log out'}
    </button>
  );
}

/** The signed-in frame: brand, navigation, who is logged in, and logging out. */
export function AppShell({ viewer, pathname, children }: { viewer: ShellViewer | undefined; pathname: string; children: ReactNode }) {
  return (
    <div className="shell">
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
            <LogoutButton />
          </div>
        </div>
      </header>
      <main className="content">{children}</main>
    </div>
  );
}
