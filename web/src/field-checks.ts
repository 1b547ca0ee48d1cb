import { fieldRule } from './error-messages.ts';

/**
 * The checks a form makes before asking the server, so every mistake shows at once (the server
 * names only the first). They mirror the server's rules (`server/src/user/user-input.ts`,
 * `server/src/auth/password.ts`); the server still decides.
 */

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A name of 1 to 100 characters once trimmed. */
export function checkName(name: string): string | undefined {
  const length = [...name.trim()].length;
  return length < 1 || length > 100 ? fieldRule('name') : undefined;
}

/** Something@somewhere.tld, as the server's rule. */
export function checkEmail(email: string): string | undefined {
  if (!email.trim()) return 'Enter your email address.';
  return EMAIL.test(email.trim()) ? undefined : fieldRule('email');
}

/** A new password of 8 to 128 characters. */
export function checkNewPassword(password: string): string | undefined {
  const length = [...password].length;
  return length < 8 || length > 128 ? fieldRule('password') : undefined;
}

/** Only the mistakes: the entries whose check returned a message. */
export function mistakesOf(checks: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(checks).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
