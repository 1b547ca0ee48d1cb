import type { ReactNode, RefObject } from 'react';
import { usePageArrival } from '../use-page-arrival.ts';
import { LogoMark } from './icons.tsx';

/**
 * The frame of the pages outside the app (login, sign-up, not found, the emailed links' pages):
 * the brand over a centred card, a link underneath. `heading` is the ref of its `<h1>`, from
 * {@link usePageArrival}.
 */
export function AuthFrame({
  heading,
  title,
  subtitle,
  children,
  footer,
}: {
  heading: RefObject<HTMLHeadingElement | null>;
  title: string;
  subtitle?: string;
  children: ReactNode;
  footer: ReactNode;
}) {
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
        {subtitle && <p className="muted auth-subtitle">{subtitle}</p>}
        {children}
      </section>
      {footer && <p className="auth-footer">{footer}</p>}
    </main>
  );
}

/**
 * {@link AuthFrame} for a page of its own: `pageTitle` names the page in the tab and when it
 * arrives; `title` is its heading.
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
    <AuthFrame heading={heading} title={title} subtitle={subtitle} footer={footer}>
      {children}
    </AuthFrame>
  );
}
