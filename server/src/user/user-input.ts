import { badUserInput } from '../errors.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Emails are compared trimmed and case-insensitively, so they are stored that way. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function validateEmail(email: string): string {
  const normalized = normalizeEmail(email);
  if (normalized.length > 254 || !EMAIL.test(normalized)) throw badUserInput('email', 'Enter a valid email address.');
  return normalized;
}

export function validateName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw badUserInput('name', 'Name must be 1 to 100 characters.');
  return trimmed;
}

export function validateAvatarUrl(avatarUrl: string): string {
  let url: URL;
  try {
    url = new URL(avatarUrl.trim());
  } catch {
    throw badUserInput('avatarUrl', 'Avatar URL must be an http(s) URL.');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.href.length > 2048) {
    throw badUserInput('avatarUrl', 'Avatar URL must be an http(s) URL of at most 2048 characters.');
  }
  return url.href;
}
