import { useEffect, useRef, useState } from 'react';
import { announce } from '../announcer.ts';
import { FormAlert } from './form-alert.tsx';

/** The file "Download as a text file" saves: the codes one a line, with what they are for. */
function recoveryCodesFile(codes: readonly string[], account: string): Blob {
  const lines = [`Recovery codes for ${account}`, 'Each code works once, in place of a code from your authenticator app.', '', ...codes, ''];
  return new Blob([lines.join('\n')], { type: 'text/plain;charset=utf-8' });
}

/** Saves `blob` as `fileName` through a download link that lives for one click. */
function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // After the click the browser holds the file; the address is no longer needed.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/**
 * Ten recovery codes, shown this once: the server keeps only their hashes. Copy them, download
 * them as a text file, then "I saved them" closes the panel. Focus lands on the panel's heading
 * when it appears, and its arrival is announced.
 */
export function RecoveryCodesPanel({ codes, account, arrival, onSaved }: { codes: readonly string[]; account: string; arrival: string; onSaved(): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  const [status, setStatus] = useState<{ tone: 'success' | 'error'; text: string }>();

  // Once per set of codes, also under StrictMode's second run of effects.
  const arrivedFor = useRef<readonly string[]>(undefined);
  useEffect(() => {
    if (arrivedFor.current === codes) return;
    arrivedFor.current = codes;
    heading.current?.focus();
    announce(arrival);
  }, [codes, arrival]);

  const tell = (tone: 'success' | 'error', text: string) => {
    setStatus({ tone, text });
    announce(text);
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      tell('success', 'The recovery codes were copied.');
    } catch {
      tell('error', 'Copying is not allowed here: download the codes, or select and copy them.');
    }
  };

  return (
    <section className="recovery-codes" aria-labelledby="recovery-codes-title" data-recovery-codes>
      <h3 id="recovery-codes-title" ref={heading} tabIndex={-1}>
        Save your recovery codes
      </h3>
      <p className="muted">
        Each code works once, in place of a code from your authenticator app, if you lose your phone. They are shown only now: keep them
        somewhere safe.
      </p>
      <ol className="recovery-code-list" data-testid="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      {status && <FormAlert tone={status.tone}>{status.text}</FormAlert>}
      <div className="form-actions form-actions-start">
        <button type="button" className="button button-secondary" onClick={() => void copy()}>
          Copy
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            download(recoveryCodesFile(codes, account), 'recovery-codes.txt');
            tell('success', 'The recovery codes were downloaded as recovery-codes.txt.');
          }}
        >
          Download as a text file
        </button>
        <button type="button" className="button button-primary" onClick={onSaved}>
          I saved them
        </button>
      </div>
    </section>
  );
}
