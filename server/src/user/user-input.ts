import { badUserInput } from '../errors.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// Invisible characters (zero-width, bidi controls, BOM) and control characters make look-alike addresses.
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;

/**
 * The one form an email is stored and compared in: compatibility forms folded (NFKC: fullwidth
 * letters, ligatures), composed (`é` whichever way it was typed), trimmed and lower-cased, so
 * look-alike spellings of one address cannot become separate accounts.
 */
export function normalizeEmail(email: string, field = 'email'): string {
  if (INVISIBLE_OR_CONTROL.test(email)) throw badUserInput(field, 'Remove the invisible or control characters from the email address.');
  return email.normalize('NFKC').trim().toLowerCase().normalize('NFC');
}

/** The stored form of a new address, or BAD_USER_INPUT on `field` for one that cannot be an address. */
export function validateEmail(email: string, field = 'email'): string {
  const normalized = normalizeEmail(email, field);
  if (normalized.length > 254 || !EMAIL.test(normalized)) throw badUserInput(field, 'Enter a valid email address.');
  return normalized;
}

export function validateName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw badUserInput('name', 'Name must be 1 to 100 characters.');
  return trimmed;
}

/**
 * Hosts browsers treat as trustworthy over plain http (the machine itself), where an `http:`
 * avatar neither travels the network in the clear nor counts as mixed content.
 */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
}

const AVATAR_URL_RULE = 'Avatar URL must be an https URL (http only on localhost) of at most 2048 characters.';

export function validateAvatarUrl(avatarUrl: string): string {
  let url: URL;
  try {
    url = new URL(avatarUrl.trim());
  } catch {
    throw badUserInput('avatarUrl', AVATAR_URL_RULE);
  }
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  if (!secure || url.href.length > 2048) throw badUserInput('avatarUrl', AVATAR_URL_RULE);
  return url.href;
}
