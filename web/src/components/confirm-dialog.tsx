import { useId, useRef, type ReactNode } from 'react';
import { useModalDialog } from '../use-modal-dialog.ts';

export interface ConfirmRequest {
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm(): void;
}

/**
 * Asks before something that cannot be undone. A modal `<dialog>`: the page behind is inert, Tab
 * cycles through the dialog's buttons, focus starts on Cancel (the harmless choice), Escape or
 * Cancel closes it and puts focus back where it was. Confirming closes it and calls `onConfirm`,
 * which decides where focus goes next (the element that opened it may be about to disappear).
 */
export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | undefined; onClose(): void }) {
  const cancel = useRef<HTMLButtonElement>(null);
  const modal = useModalDialog(request !== undefined, cancel);
  const titleId = useId();
  const descriptionId = useId();

  const close = ({ restoreFocus }: { restoreFocus: boolean }) => {
    modal.close({ restoreFocus });
    onClose();
  };

  return (
    <dialog
      ref={modal.dialog}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onKeyDown={modal.keepTabInside}
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
