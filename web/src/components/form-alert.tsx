import type { ReactNode } from 'react';
import { AlertIcon, CheckIcon, InfoIcon } from './icons.tsx';

const ICONS = { error: AlertIcon, success: CheckIcon, info: InfoIcon };

/** A message about a whole form or page: an error, a success or a notice. */
export function FormAlert({ tone, children }: { tone: 'error' | 'success' | 'info'; children: ReactNode }) {
  const Icon = ICONS[tone];
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <Icon className="alert-icon" />
      <div>{children}</div>
    </div>
  );
}
