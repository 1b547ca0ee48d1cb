import type { ReactNode } from 'react';
import { AlertIcon, CheckIcon, InfoIcon } from './icons.tsx';

const ICONS = { error: AlertIcon, success: CheckIcon, info: InfoIcon };

/**
 * A message about a whole form or page: an error, a success or a notice. It is not a live region
 * by default: forms announce their messages once through `announce()`, so a message that changes
 * while it shows (the rate limit's countdown) is not read again at every change. `role="alert"`
 * is for a message that appears on its own, such as a page that could not load.
 */
export function FormAlert({ tone, role, children }: { tone: 'error' | 'success' | 'info'; role?: 'alert'; children: ReactNode }) {
  const Icon = ICONS[tone];
  return (
    <div className={`alert alert-${tone}`} role={role} data-form-message={tone}>
      <Icon className="alert-icon" />
      <div>{children}</div>
    </div>
  );
}
