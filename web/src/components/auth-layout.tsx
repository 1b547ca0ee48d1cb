import type { ReactNode } from 'react';
import { LogoMark } from './icons.tsx';

/** The frame of the login and sign-up pages: the brand over a centred card, a link underneath. */
export function AuthLayout({ title, subtitle, children, footer }: { title: string; subtitle: string; children: ReactNode; footer: ReactNode }) {
  return (
    <main className="auth-layout">
      <div className="auth-brand">
        <LogoMark />
        <span>GraphQL Auth</span>
      </div>
      <section className="card auth-card" aria-labelledby="auth-title">
        <h1 id="auth-title">{title}</h1>
        <p className="muted auth-subtitle">{subtitle}</p>
        {children}
      </section>
      <p className="auth-footer">{footer}</p>
    </main>
  );
}
