import { useLayoutEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

/**
 * What a history entry carries: where a redirect to the login page came from, so the user lands
 * where they wanted after logging in; and a notice for the page it leads to (how the user got
 * there, such as a password just reset).
 */
export interface RouteState {
  from?: string;
  notice?: string;
}

const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of [...listeners]) listener();
};

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener('popstate', notify);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('popstate', notify);
  };
}

/** Goes to `path` within the app, adding a history entry unless `replace`. */
export function navigate(path: string, { replace = false, state = {} }: { replace?: boolean; state?: RouteState } = {}): void {
  if (replace) history.replaceState(state, '', path);
  else history.pushState(state, '', path);
  notify();
}

/** The current path, re-rendering on every navigation (links, redirects, back and forward). */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => location.pathname);
}

/** Where a redirect to the login page came from, if it did. */
export function redirectedFrom(): string | undefined {
  const state: unknown = history.state;
  if (typeof state !== 'object' || state === null || !('from' in state) || typeof state.from !== 'string') return undefined;
  return state.from.startsWith('/') ? state.from : undefined;
}

/** The notice the current history entry carries, if any. */
export function routeNotice(): string | undefined {
  const state: unknown = history.state;
  if (typeof state !== 'object' || state === null || !('notice' in state) || typeof state.notice !== 'string') return undefined;
  return state.notice;
}

const isPlainLeftClick = (event: MouseEvent) =>
  event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey && !event.defaultPrevented;

/** An `<a>` that navigates within the app; modified clicks (new tab, new window) stay the browser's. */
export function Link({ to, onClick, ...props }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  return (
    <a
      {...props}
      href={to}
      onClick={(event) => {
        onClick?.(event);
        if (!isPlainLeftClick(event)) return;
        event.preventDefault();
        if (to !== location.pathname) navigate(to);
      }}
    />
  );
}

/** Replaces the current entry with `to` before the browser paints, so the old page never shows. */
export function Redirect({ to, from }: { to: string; from?: string }) {
  useLayoutEffect(() => navigate(to, { replace: true, state: from ? { from } : {} }), [to, from]);
  return null;
}
