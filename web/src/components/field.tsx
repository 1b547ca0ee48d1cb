import { useId, type InputHTMLAttributes, type Ref } from 'react';

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> {
  label: string;
  name: string;
  value: string;
  onChange(value: string): void;
  /** Shown under the input in red; the input is marked invalid. */
  error?: string | undefined;
  /** Shown under the input while there is no error. */
  hint?: string;
  /** For a caller that moves focus to the input itself (a dialog opening on it). */
  inputRef?: Ref<HTMLInputElement>;
}

/** A labelled input with its hint or error underneath, linked for screen readers. */
export function Field({ label, name, value, onChange, error, hint, inputRef, ...inputProps }: FieldProps) {
  const id = useId();
  const noteId = `${id}-note`;
  const note = error ?? hint;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <input
        {...inputProps}
        ref={inputRef}
        id={id}
        name={name}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={note ? noteId : undefined}
      />
      {note && (
        <p id={noteId} className={error ? 'field-error' : 'field-hint'} data-field-error={error ? name : undefined}>
          {note}
        </p>
      )}
    </div>
  );
}
