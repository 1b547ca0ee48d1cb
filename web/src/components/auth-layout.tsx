import type { ReactNode } from 'react';
import { usePageArrival } from '../use-page-arrival.ts';
import { LogoMark } from './icons.tsx';

/**
 * The frame of the login, sign-up and not-found pages: the brand over a centred card, a link
 * underneath. `pageTitle` names the page in the tab and when it arrives; `title` is its heading.
 */
export function AuthLayout({
  pageTitle,
  title,
  subtitle,
  children,
  footer,
}: {
  pageTitle: string;
  title: string;
  subtitle: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  const heading = usePageArrival(pageTitle);
  return (
    <main className="auth-layout">
      <div className="auth-brand">
        <LogoMark />
        <span>GraphQL Auth</span>
      </div>
      <section className="card auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <p className="muted auth-subtitle">{subtitle}</p>
        {children}
      </section>
      {footer && <p className="auth-footer">{footer}</p>}
    </main>
  );
}
