import { FormAlert } from './form-alert.tsx';

/** A page whose data could not load: why (announced as it appears), and a button to try again. */
export function PageError({ message, onRetry }: { message: string; onRetry(): void }) {
  return (
    <div className="page-error">
      <FormAlert tone="error" role="alert">
        {message}
      </FormAlert>
      <button type="button" className="button button-secondary" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
