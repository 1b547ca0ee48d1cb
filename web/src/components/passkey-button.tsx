import type { Ref } from 'react';

/**
 * "Use a passkey": the primary action where a passkey is the only way, else beside the code's. While
 * the prompt is open (or the form waits out a limit) it stays focusable but does nothing.
 */
export function PasskeyButton({
  busy,
  waiting,
  primary,
  block = false,
  buttonRef,
  onUse,
}: {
  busy: boolean;
  waiting: boolean;
  primary: boolean;
  block?: boolean;
  buttonRef?: Ref<HTMLButtonElement> | undefined;
  onUse(): void;
}) {
  return (
    <button
      type="button"
      ref={buttonRef}
      className={`button button-${primary ? 'primary' : 'secondary'}${block ? ' button-block' : ''}`}
      aria-disabled={busy || waiting || undefined}
      aria-busy={busy || undefined}
      onClick={busy || waiting ? undefined : onUse}
    >
      {busy ? 'Waiting for your passkey…' : 'Use a passkey'}
    </button>
  );
}
