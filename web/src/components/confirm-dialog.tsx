import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface ConfirmRequest {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
}

/** The buttons and links a Tab can reach inside `container`. */
const tabbable = (container: HTMLElement) => [...container.querySelectorAll<HTMLElement>('button:not([disabled]), a[href], input:not([disabled])')];

/**
 * Asks before something that cannot be undone. A modal `<dialog>`: the page behind is inert, Tab
 * cycles through the dialog's buttons, focus starts on Cancel (the harmless choice), Escape or
 * Cancel closes it and puts focus back where it was. Confirming closes it and calls `onConfirm`,
 * which decides where focus goes next (the element that opened it may be about to disappear).
 */
export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | undefined; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLElement | null>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (!element || !request || element.open) return;
    opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element.showModal();
    cancel.current?.focus();
  }, [request]);

  const close = ({ restoreFocus }: { restoreFocus: boolean }) => {
    dialog.current?.close();
    if (restoreFocus) opener.current?.focus();
    onClose();
  };

  const keepTabInside = (event: KeyboardEvent<HTMLDialogElement>) => {
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
  };

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onKeyDown={keepTabInside}
      onCancel={(event) => {
        // Escape: closed here, so focus goes back and the parent hears of it.
        event.preventDefault();
        close({ restoreFocus: true });
      }}
    >
      {request && (
        <>
          <h2 id={titleId}>{request.title}</h2>
          <p id={descriptionId} className="muted">
            {request.description}
          </p>
          <div className="dialog-actions">
            <button
              type="button"
              className="button button-danger"
              onClick={() => {
                close({ restoreFocus: true });
                request.onConfirm();
              }}
            >
              {request.confirmLabel}
            </button>
            <button type="button" className="button button-secondary" ref={cancel} onClick={() => close({ restoreFocus: true })}>
              Cancel
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
