import type { Config } from '../config.ts';
import type { EmailMessage } from './outbox.ts';

/**
 * Every email the service sends, one builder each, sharing one small layout with a text and an
 * HTML body. Whatever a user chose (a name, an address) is HTML-escaped in the HTML body and kept
 * out of subjects; subjects lose control characters all the same, so no header can be injected.
 */

/** What every message needs to know of the deployment. */
export type Sender = Pick<Config, 'appName' | 'publicOrigin'>;

/** Whom a message is for: the address it goes to and the name it greets. */
export interface Recipient {
  email: string;
  name: string;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? character);

/** A subject on one line: control characters (CR and LF above all) become spaces, and it fits its column. */
export function subjectLine(text: string): string {
  return text.replace(/\p{Cc}+/gu, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}

const UNITS = [
  { ms: 86_400_000, one: 'day', many: 'days' },
  { ms: 3_600_000, one: 'hour', many: 'hours' },
  { ms: 60_000, one: 'minute', many: 'minutes' },
  { ms: 1000, one: 'second', many: 'seconds' },
];

/** A link's lifetime as a person says it: `30 minutes`, `24 hours`, `3 days`. Days only from three on: "24 hours" reads better than "1 day". */
export function lifetimeInWords(ms: number): string {
  const unit = UNITS.find((candidate) => ms % candidate.ms === 0 && (candidate.ms !== 86_400_000 || ms >= 3 * 86_400_000)) ?? UNITS[UNITS.length - 1]!;
  const count = Math.max(1, Math.round(ms / unit.ms));
  return `${count} ${count === 1 ? unit.one : unit.many}`;
}

/** `PUBLIC_ORIGIN/<page>?token=…`: the web app's page that reads the token. */
function linkTo(sender: Sender, page: '/reset-password' | '/verify-email' | '/confirm-email', token: string): string {
  const url = new URL(page, sender.publicOrigin);
  url.searchParams.set('token', token);
  return url.href;
}

interface Content {
  kind: string;
  to: Recipient;
  subject: string;
  /** Plain text; each becomes a paragraph. */
  paragraphs: string[];
  action?: { label: string; url: string };
  /** Paragraphs after the action, e.g. what to do if it was not you. */
  closing?: string[];
}

/** The one layout: greeting, paragraphs, an optional button with its address spelled out, closing, signature. */
function compose(sender: Sender, { kind, to, subject, paragraphs, action, closing = [] }: Content): EmailMessage {
  const greeting = `Hello ${to.name},`;
  const signature = `— ${sender.appName}`;
  const text = [
    greeting,
    ...paragraphs,
    ...(action ? [`${action.label}:\n${action.url}`] : []),
    ...closing,
    signature,
  ].join('\n\n');
  const paragraph = (content: string) => `<p style="margin:0 0 16px">${escapeHtml(content)}</p>`;
  const button = action
    ? `<p style="margin:0 0 16px"><a href="${escapeHtml(action.url)}" style="display:inline-block;padding:10px 18px;background:#3b4cc0;color:#ffffff;text-decoration:none;border-radius:4px">${escapeHtml(action.label)}</a></p>` +
      `<p style="margin:0 0 16px;font-size:13px;color:#555555">If the button does not work, copy this address into your browser:<br><a href="${escapeHtml(action.url)}" style="color:#3b4cc0;word-break:break-all">${escapeHtml(action.url)}</a></p>`
    : '';
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subjectLine(subject))}</title></head>`,
    '<body style="margin:0;padding:24px;background:#f4f5f7;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:15px;line-height:1.5;color:#1d1f24">',
    '<div style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;border-radius:6px">',
    paragraph(greeting),
    ...paragraphs.map(paragraph),
    button,
    ...closing.map(paragraph),
    paragraph(signature),
    '</div></body></html>',
  ].join('\n');
  return { kind, to: to.email, subject: subjectLine(subject), text, html };
}

const NOT_YOU_PASSWORD = "If this wasn't you, someone else knows your password: reset it now with \"Forgot password?\" on the login page.";

/** The link that lets the owner choose a new password. */
export function passwordResetEmail(sender: Sender, to: Recipient, { token, lifetimeMs }: { token: string; lifetimeMs: number }): EmailMessage {
  return compose(sender, {
    kind: 'password-reset',
    to,
    subject: `Reset your ${sender.appName} password`,
    paragraphs: [`Someone asked to reset the password of your ${sender.appName} account. Choose a new one with the link below.`],
    action: { label: 'Choose a new password', url: linkTo(sender, '/reset-password', token) },
    closing: [
      `The link works once, for ${lifetimeInWords(lifetimeMs)}. Choosing a new password logs you out everywhere else.`,
      "If you didn't ask for this, ignore this email: your password stays as it is.",
    ],
  });
}

/** The link that proves the account's address (after sign-up, or sent again on request). */
export function verificationEmail(sender: Sender, to: Recipient, { token, lifetimeMs }: { token: string; lifetimeMs: number }): EmailMessage {
  return compose(sender, {
    kind: 'verify-email',
    to,
    subject: `Confirm your email address for ${sender.appName}`,
    paragraphs: [`Please confirm that this is the email address of your ${sender.appName} account.`],
    action: { label: 'Confirm my email address', url: linkTo(sender, '/verify-email', token) },
    closing: [`The link works once, for ${lifetimeInWords(lifetimeMs)}.`, "If you didn't create an account, ignore this email."],
  });
}

/** Sent to the new address of an email change: following the link makes the change. */
export function emailChangeConfirmation(sender: Sender, to: Recipient, { token, lifetimeMs }: { token: string; lifetimeMs: number }): EmailMessage {
  return compose(sender, {
    kind: 'confirm-email-change',
    to,
    subject: `Confirm your new email address for ${sender.appName}`,
    paragraphs: [`You asked to use this address for your ${sender.appName} account. Nothing changes until you confirm it.`],
    action: { label: 'Use this email address', url: linkTo(sender, '/confirm-email', token) },
    closing: [`The link works once, for ${lifetimeInWords(lifetimeMs)}.`, "If you didn't ask for this, ignore this email."],
  });
}

/** Sent to the current address when a change to `newEmail` is requested, before anything changes. */
export function emailChangeRequestedNotice(sender: Sender, to: Recipient, { newEmail }: { newEmail: string }): EmailMessage {
  return compose(sender, {
    kind: 'email-change-requested',
    to,
    subject: `Your ${sender.appName} email address is about to change`,
    paragraphs: [
      `Someone signed in to your ${sender.appName} account asked to change its email address to ${newEmail}. It changes only once a link sent to that address is followed.`,
    ],
    closing: ["If this wasn't you, someone else knows your password: reset it now with \"Forgot password?\" on the login page, which also cancels the change."],
  });
}

/** Sent to the old address once an email change is confirmed. */
export function emailChangedNotice(sender: Sender, to: Recipient, { newEmail }: { newEmail: string }): EmailMessage {
  return compose(sender, {
    kind: 'email-changed',
    to,
    subject: `Your ${sender.appName} email address was changed`,
    paragraphs: [`The email address of your ${sender.appName} account is now ${newEmail}. This address will no longer receive its emails.`],
    closing: [`If this wasn't you, contact the ${sender.appName} team at once: your account may have been taken over.`],
  });
}

/** Sent after `changePassword`. */
export function passwordChangedNotice(sender: Sender, to: Recipient): EmailMessage {
  return compose(sender, {
    kind: 'password-changed',
    to,
    subject: `Your ${sender.appName} password was changed`,
    paragraphs: [`The password of your ${sender.appName} account was just changed, and every other session was logged out.`],
    closing: [NOT_YOU_PASSWORD],
  });
}

/** Sent after a password reset through an emailed link. */
export function passwordResetNotice(sender: Sender, to: Recipient): EmailMessage {
  return compose(sender, {
    kind: 'password-reset-notice',
    to,
    subject: `Your ${sender.appName} password was reset`,
    paragraphs: [`The password of your ${sender.appName} account was just reset with a link sent to this address, and every other session was logged out.`],
    closing: [`If this wasn't you, someone can read this mailbox: secure it, then reset your password again with "Forgot password?" on the login page.`],
  });
}

/** The goodbye: sent after the account and everything kept about it was deleted. */
export function accountDeletedNotice(sender: Sender, to: Recipient): EmailMessage {
  return compose(sender, {
    kind: 'account-deleted',
    to,
    subject: `Your ${sender.appName} account was deleted`,
    paragraphs: [
      `Your ${sender.appName} account and everything kept about it have been deleted, and every session was logged out.`,
      'You can sign up again with this address at any time.',
    ],
  });
}
