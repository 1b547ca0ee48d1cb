import { useEffect, useRef, type RefObject } from 'react';
import { announce } from './announcer.ts';

/** Whether a page has shown since the document loaded: the first one keeps the browser's focus. */
let firstPageShown = false;

/**
 * Sets the tab's title to "<title> · GraphQL Auth" and, when the page arrives by navigation (a
 * link, a redirect, logging in or out, back and forward), moves focus to its main heading and
 * announces the title. Without this, focus stays on the element that vanished with the old page,
 * that is on `<body>`, and screen-reader users hear nothing. Returns the ref for that heading,
 * which needs `tabIndex={-1}`.
 */
export function usePageArrival(title: string): RefObject<HTMLHeadingElement | null> {
  const heading = useRef<HTMLHeadingElement>(null);
  const arrived = useRef(false);
  useEffect(() => {
    document.title = `${title} · GraphQL Auth`;
  }, [title]);
  useEffect(() => {
    // Once per mount, also under StrictMode's second run of effects.
    if (arrived.current) return;
    arrived.current = true;
    if (!firstPageShown) {
      firstPageShown = true;
      return;
    }
    heading.current?.focus();
    announce(title);
  }, [title]);
  return heading;
}
