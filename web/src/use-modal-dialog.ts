import { useEffect, useRef, type KeyboardEvent, type RefObject } from 'react';

/** The controls a Tab can reach inside `container`. */
const tabbable = (container: HTMLElement) => [...container.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], input:not([disabled], [hidden], [type="hidden"])')];

/**
 * A modal `<dialog>` the keyboard cannot leave: opened (`showModal`, the page behind inert) while
 * `open`, focus on `initialFocus`; Tab and Shift+Tab cycle inside it; `close` shuts it and, unless
 * told otherwise, puts focus back on the element that opened it. Give `dialog` to the `<dialog>`
 * and `keepTabInside` to its `onKeyDown`.
 */
export function useModalDialog(open: boolean, initialFocus: RefObject<HTMLElement | null>) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element || !open || element.open) return;
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element.showModal();
    initialFocus.current?.focus();
  }, [open, initialFocus]);

  return {
    dialog,
    close({ restoreFocus }: { restoreFocus: boolean }) {
      dialog.current?.close();
      if (restoreFocus) opener.current?.focus();
    },
    keepTabInside(event: KeyboardEvent<HTMLDialogElement>) {
      if (event.key !== 'Tab' || !dialog.current) return;
      const stops = tabbable(dialog.current);
      const first = stops[0];
      const last = stops[stops.length - 1];
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    },
  };
}
